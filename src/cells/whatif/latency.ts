// Input-to-outputs latency of the what-if cell, as User Timing entries a bench script can read
// (performance.getEntriesByType('measure'), name WHATIF_MEASURE). See bench/latency.ts.
//
// Definition. An input is a slider `input` event on a range (arrows, Home/End, mouse drag), a PageUp/PageDown
// keydown on a range (the Slider steps by 10 in its keydown handler, no `input` event), or a `change` on a
// number box. Its start is the event's `timeStamp` (when the browser created the event, so time spent queued
// behind other main-thread work counts). It ends at the first moment when ALL of these hold for the inputs
// the cell holds at that moment, which include this input's value (or a newer one, if the user moved on):
//   1. every Metric of the cell has been re-rendered (a Svelte $effect has run after the DOM update);
//   2. the Monte Carlo result computed for exactly those inputs is in the DOM (P10-P90 note, probabilities);
//   3. every chart of the cell has been redrawn by Plotly.react with the figure built from those inputs and
//      that Monte Carlo result (or found identical to the figure already on screen, so it was not redrawn).
// An input superseded by a newer one before its outputs appeared therefore ends when the newer one's outputs
// appear: the measure is the wait a person sees, never shortened by dropping inputs.
// A second measure, WHATIF_FRAME_MEASURE, ends at the next animation frame after that (the frame that paints).

/** Name of the input -> all-outputs-updated measure. */
export const WHATIF_MEASURE = 'whatif:input->outputs';
/** Name of the input -> next-animation-frame-after-outputs measure. */
export const WHATIF_FRAME_MEASURE = 'whatif:input->frame';
/** Name of the input -> deterministic numbers (metrics' data-value) updated measure (condition 1 alone). */
export const WHATIF_NUMBERS_MEASURE = 'whatif:input->numbers';
/** Name of one Monte Carlo round trip (request to result, including waiting for a busy worker). */
export const WHATIF_MC_MEASURE = 'whatif:mc-run';
/** Mark at the input event's timestamp. */
export const WHATIF_INPUT_MARK = 'whatif:input';
/** Mark when all outputs are updated. */
export const WHATIF_OUTPUTS_MARK = 'whatif:outputs';

/** Inputs kept waiting at most (a collapsed cell never completes; do not grow without bound). */
const MAX_WAITING = 500;

/**
 * Records an input's start time and, when `complete()` says every output is up to date, one measure per
 * waiting input. Call `check()` whenever an output finishes updating.
 */
export class LatencyProbe {
  readonly #complete: () => boolean;
  readonly #numbers: () => boolean;
  #waiting: number[] = [];
  #waitingNumbers: number[] = [];

  /** `numbers()`: condition 1 holds; `complete()`: conditions 1-3 hold. */
  constructor(complete: () => boolean, numbers: () => boolean) {
    this.#complete = complete;
    this.#numbers = numbers;
  }

  /** Whether `e` is one of the what-if inputs defined above. */
  static isInput(e: Event): boolean {
    const t = e.target;
    if (!(t instanceof HTMLInputElement)) return false;
    if (e.type === 'input') return t.type === 'range';
    if (e.type === 'change') return t.type === 'number';
    if (e.type === 'keydown') {
      const k = (e as KeyboardEvent).key;
      return t.type === 'range' && (k === 'PageUp' || k === 'PageDown');
    }
    return false;
  }

  /** Call from a capturing listener on the levers, before the slider's own handler runs. */
  input(e: Event): void {
    if (typeof performance === 'undefined' || !LatencyProbe.isInput(e)) return;
    const start = e.timeStamp;
    performance.mark(WHATIF_INPUT_MARK, { startTime: start });
    // Armed after the event's handlers (and Svelte's flush) ran, so `complete()` already sees the new inputs.
    setTimeout(() => {
      if (this.#waiting.length >= MAX_WAITING) this.#waiting.shift();
      if (this.#waitingNumbers.length >= MAX_WAITING) this.#waitingNumbers.shift();
      this.#waiting.push(start);
      this.#waitingNumbers.push(start);
      this.check();
    }, 0);
  }

  /** When the current state first became complete / showed current numbers (null while it is not). */
  #completeAt: number | null = null;
  #numbersAt: number | null = null;

  /**
   * Call whenever an output finished updating (and after each input change). Ends the waiting inputs'
   * measures at the moment the state became complete, which may be before this call (the arming timeout).
   */
  check(): void {
    const now = performance.now();
    if (!this.#numbers()) this.#numbersAt = null;
    else this.#numbersAt ??= now;
    if (!this.#complete()) this.#completeAt = null;
    else this.#completeAt ??= now;
    if (this.#numbersAt !== null && this.#waitingNumbers.length > 0) {
      const at = this.#numbersAt;
      for (const start of this.#waitingNumbers)
        performance.measure(WHATIF_NUMBERS_MEASURE, { start, end: Math.max(start, at) });
      this.#waitingNumbers = [];
    }
    if (this.#completeAt === null || this.#waiting.length === 0) return;
    const at = this.#completeAt;
    const starts = this.#waiting;
    this.#waiting = [];
    performance.mark(WHATIF_OUTPUTS_MARK, { startTime: at });
    for (const start of starts) performance.measure(WHATIF_MEASURE, { start, end: Math.max(start, at) });
    requestAnimationFrame(() => {
      const frame = performance.now();
      for (const start of starts) performance.measure(WHATIF_FRAME_MEASURE, { start, end: frame });
    });
  }
}
