// The few host APIs the pure core may use: they exist identically in browsers, workers and Node >= 18.
// Declared here (rather than pulling in lib.dom) so that `window`, `document` or `fetch` stay type errors.
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  readonly encoding: string;
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
