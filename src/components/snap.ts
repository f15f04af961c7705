// Where a slider lands: `x` snapped to min + k·step, without binary noise, inside [min, max]. Shared by
// Slider.svelte and by code that predicts a slider's next value (the what-if cell's Monte Carlo prefetch),
// so both compute the very same number. Example: snapToStep(85.1 + 0.1, 0, 99.9, 0.1) = 85.2.
export function snapToStep(x: number, min: number, max: number, step: number): number {
  const snapped = Math.round((x - min) / step) * step + min;
  const digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return Math.min(max, Math.max(min, Number(snapped.toFixed(Math.min(10, digits + 2)))));
}
