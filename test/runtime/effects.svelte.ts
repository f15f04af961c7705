// Runes are compiled only in *.svelte.ts files: the tests create their effect roots through this helper.
export function effectRoot(fn: () => void): () => void {
  return $effect.root(fn);
}
