// SVD cost over a full delay sweep (31 delays), reported, never asserted: it depends on the
// machine. Off by default to keep the suite fast; run with
//   MNEMOSCOPE_SVD_TIMING=1 npx vitest run test/unit/analysis/svd-timing.test.ts
import { describe, expect, it } from 'vitest';
import { spectrumOf } from '../../../main/engine/analysis/spectrum';
import { gaussian, rng } from './helpers';

const enabled = process.env.MNEMOSCOPE_SVD_TIMING === '1';

describe.runIf(enabled)('SVD timing over 31 delays', () => {
  for (const n of [200, 650]) {
    it(`H = E = ${n}`, () => {
      const g = gaussian(rng(n));
      const data = Float64Array.from({ length: n * n }, g);
      const m = { data, rows: n, cols: n };
      const time = (vectors: number, left: boolean) => {
        const t0 = performance.now();
        for (let t = 0; t < 31; t++) spectrumOf(m, { vectors, left });
        return (performance.now() - t0) / 1000;
      };
      const withVectors = time(10, true);
      const valuesOnly = time(0, false);
      console.log(
        `SVD H=E=${n}, 31 delays: ${withVectors.toFixed(1)} s with 10 left+right vectors (ml-matrix) ` +
          `(${((withVectors / 31) * 1000).toFixed(0)} ms each), ${valuesOnly.toFixed(1)} s values only (singular-values.ts) ` +
          `(${((valuesOnly / 31) * 1000).toFixed(0)} ms each)`,
      );
      expect(withVectors).toBeGreaterThan(0);
    }, 1_200_000);
  }
});
