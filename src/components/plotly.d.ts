// Minimal typing of the parts of plotly.js-cartesian-dist-min (plotly.js with the cartesian trace types
// only: scatter, bar, histogram, heatmap and more; all the workbench draws) that Plot.svelte uses. No types ship.
declare module 'plotly.js-cartesian-dist-min' {
  interface PlotlyStatic {
    react(el: HTMLElement, data: unknown[], layout: unknown, config?: unknown): Promise<unknown>;
    purge(el: HTMLElement): void;
    downloadImage(
      el: HTMLElement,
      opts: { format: 'png' | 'svg'; filename: string; width?: number; height?: number },
    ): Promise<string>;
    Plots: { resize(el: HTMLElement): void };
  }
  const Plotly: PlotlyStatic;
  export default Plotly;
}
