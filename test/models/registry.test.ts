import { describe, expect, it } from 'vitest';
import { MODELS, MODEL_NAMES, fitModel, isModelName } from '../../src/lib/models/registry.ts';
import { cdnow } from './cdnow.ts';

describe('registry', () => {
  it('lists the seven CLI models with their paper parameter names', () => {
    expect(MODEL_NAMES).toEqual(['sbg', 'bdw', 'bgnbd', 'pnbd', 'mbgnbd', 'bgbb', 'gg']);
    for (const m of MODEL_NAMES) expect(MODELS[m].name).toBe(m);
    expect(MODELS.pnbd.paramNames).toEqual(['r', 'alpha', 's', 'beta']);
    expect(isModelName('bgnb')).toBe(false);
  });
  it('fitModel(bgnbd) = fitBgNbd (FHL 2005: r 0.243)', () => {
    const t = cdnow();
    const r = fitModel('bgnbd', { kind: 'rfm', frequency: t.frequency, recency: t.recency, T: t.T });
    expect(r.params.r).toBeCloseTo(0.243, 3);
    expect(Object.keys(r.params)).toEqual(['r', 'alpha', 'a', 'b']);
  });
  it('wrong input kind says which kind the model needs', () => {
    expect(() => fitModel('sbg', { kind: 'rfm', frequency: [1], recency: [1], T: [2] })).toThrow(
      'model sbg needs survival input (got rfm)',
    );
  });
});
