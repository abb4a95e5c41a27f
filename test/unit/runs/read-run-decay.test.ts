// Runs written before the decay models (analysis version 1) get them when read, from their
// stored per-delay σ₁, Σσ and SEs. The fixture test/fixtures/runs/v1-demo/run.json is the
// shipped demo sweep's run.json as written by version 1 (D = 30, K = 10 groups), with the
// per-class, per-word, per-property and aligned-word parts emptied to keep it small.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decayModelsOfDelays } from '../../../main/engine/analysis/decay-models';
import { readRunRecord, withDecayModels } from '../../../main/engine/runs';

const FIXTURE = path.join(__dirname, '../../fixtures/runs/v1-demo/run.json');
let root: string;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'mn-read-decay-'));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function runDir(name: string, edit?: (rec: Record<string, unknown> & { summary: Record<string, unknown> }) => void): Promise<string> {
  const dir = path.join(root, name);
  await fs.mkdir(dir);
  const rec = JSON.parse(await fs.readFile(FIXTURE, 'utf8'));
  edit?.(rec);
  await fs.writeFile(path.join(dir, 'run.json'), JSON.stringify(rec));
  return dir;
}

describe('reading a version-1 run fills in the decay models', () => {
  it('fits them from the stored σ₁, Σσ and group SEs', async () => {
    const raw = JSON.parse(await fs.readFile(FIXTURE, 'utf8'));
    expect(raw.summary.analysisVersion).toBe(1);
    expect('decayModels' in raw.summary).toBe(false);

    const rec = await readRunRecord(await runDir('v1'));
    expect(rec.summary.analysisVersion).toBe(1);
    const dm = rec.summary.decayModels!;
    expect(dm).toEqual(decayModelsOfDelays(raw.summary.delays));
    for (const m of [dm.sigma1!, dm.sum!]) {
      expect(m.weighted).toBe(true);
      expect([m.from, m.to]).toEqual([1, 30]);
      expect(m.fits.map((f) => f.model)).toEqual(['exponential', 'two-exponentials', 'power-law']);
      expect(m.chosen).not.toBeNull();
    }
    // The old log-linear exponential fit is kept as it was.
    expect(rec.summary.decay).toEqual(raw.summary.decay);
    expect(rec.summary.decay.sigma1!.r2).toBeCloseTo(0.412, 3);
    // The demo's σ₁ peaks at 7.60 (τ = 1) and is still 3.91 at τ = 30: it never falls below
    // 10 % of its maximum, which the UI shows as "> 30".
    expect(dm.sigma1!.memoryLength).toEqual({ threshold: 0.1, tau: null, low: null, high: null, maxDelay: 30, withSe: true });
  });

  it('the weights are the stored SEs: changing one delay’s SE changes the fit', async () => {
    const base = (await readRunRecord(await runDir('base'))).summary.decayModels!.sigma1!;
    const dir = await runDir('se', (rec) => {
      const delays = rec.summary.delays as { se: { sigma1: { se: number } } }[];
      delays[1].se.sigma1.se *= 1000;
    });
    const other = (await readRunRecord(dir)).summary.decayModels!.sigma1!;
    const exp = (m: typeof base) => m.fits.find((f) => f.model === 'exponential')!.params;
    expect(exp(other).a).not.toBeCloseTo(exp(base).a, 3);
  });

  it('a run that has them keeps its own', async () => {
    const base = await readRunRecord(await runDir('has-v1'));
    const stored = structuredClone(base.summary.decayModels!);
    stored.sigma1!.chosen = 'power-law';
    stored.sigma1!.memoryLength.tau = 7;
    const dir = await runDir('has', (rec) => {
      rec.summary.decayModels = stored;
    });
    const rec = await readRunRecord(dir);
    expect(rec.summary.decayModels).toEqual(stored);
    expect(withDecayModels(rec)).toBe(rec);
  });

  it('stored fits from before the rate cap was recorded are fitted again, so a fit at the cap is not the choice', async () => {
    const fresh = (await readRunRecord(await runDir('fresh'))).summary.decayModels!;
    // This run's σ₁ (the first demo's) has a rise at τ = 1 that two exponentials fit with a rate at the cap.
    const capped = fresh.sigma1!.fits.find((f) => f.model === 'two-exponentials')!;
    expect(capped.atRateCap).toBe(true);
    expect(fresh.sigma1!.chosen).not.toBe('two-exponentials');
    // The same models as an older version stored them: no atRateCap, and the capped fit chosen.
    const old = structuredClone(fresh) as unknown as { sigma1: { chosen: string; fits: Record<string, unknown>[] }; sum: { fits: Record<string, unknown>[] } };
    for (const m of [old.sigma1, old.sum]) for (const f of m.fits) delete f.atRateCap;
    old.sigma1.chosen = 'two-exponentials';
    const dir = await runDir('old-fits', (rec) => {
      rec.summary.decayModels = old;
    });
    expect((await readRunRecord(dir)).summary.decayModels).toEqual(fresh);
  });
});
