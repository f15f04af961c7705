/** Progress callback used by every slow engine call: fraction in [0, 1] and a short phase label ("parse", "fit"). */
export type OnProgress = (fraction: number, phase: string) => void;

/**
 * Wraps a progress callback so it fires at most every `minFraction` of progress or on phase change,
 * keeping worker->main messages to a few dozen per call. Example: throttleProgress(cb)(0.5, 'fit').
 */
export function throttleProgress(cb: OnProgress | undefined, minFraction = 0.01): OnProgress {
  if (!cb) return () => {};
  let lastFraction = -1;
  let lastPhase = '';
  return (fraction, phase) => {
    if (phase !== lastPhase || fraction - lastFraction >= minFraction || fraction >= 1) {
      lastFraction = fraction;
      lastPhase = phase;
      cb(Math.min(1, Math.max(0, fraction)), phase);
    }
  };
}
