// `npm run bench -- synthetic`: the blind planted-span test (issue 8 §6) over spans and seeds,
// with the benchmark's own defaults. One line per case as it finishes, then a summary:
//   K ≤ 12: the estimated span must equal K and the verdict pass;
//   K > 12: |estimated span − K| ≤ 1 (the verdict's exact `span` check may fail by one);
//   control: the verdict must fail.
// Options: --spans=2,5,8,12,20  --seeds=1,2,3  --long-seeds=1,2 (seeds for K > 12)
//          --control=5:1 (K:seed of the control corpus; 'none' for none)  --out=FILE (JSON lines)
// Runs one case at a time in a temporary project, which is deleted at the end.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createProject } from '../../main/engine/project';
import { type SyntheticBenchmarkResult, runSyntheticBenchmark } from '../../main/engine/synthetic';

interface Case {
  span: number;
  seed: number;
  control: boolean;
}

const list = (v: string | undefined, fallback: number[]) => (v ? v.split(',').filter(Boolean).map(Number) : fallback);

function casesOf(options: Map<string, string>): Case[] {
  const spans = list(options.get('spans'), [2, 5, 8, 12, 20]);
  const seeds = list(options.get('seeds'), [1, 2, 3]);
  const longSeeds = list(options.get('long-seeds'), [1, 2]);
  const cases: Case[] = spans.flatMap((span) => (span > 12 ? longSeeds : seeds).map((seed) => ({ span, seed, control: false })));
  const control = options.get('control') ?? '5:1';
  if (control !== 'none') {
    const [span, seed] = control.split(':').map(Number);
    cases.push({ span, seed: seed || 1, control: true });
  }
  for (const c of cases) if (!Number.isInteger(c.span) || !Number.isInteger(c.seed)) throw new Error(`bad case ${JSON.stringify(c)}`);
  return cases;
}

/** The criterion for one case. */
function meets(c: Case, r: SyntheticBenchmarkResult): boolean {
  if (c.control) return !r.verdict.passed;
  if (c.span > 12) return r.estimatedSpan !== null && Math.abs(r.estimatedSpan - c.span) <= 1;
  return r.estimatedSpan === c.span && r.verdict.passed;
}

const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');

export async function runSyntheticSweep(options: Map<string, string>): Promise<void> {
  const cases = casesOf(options);
  const out = options.get('out');
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'mnemoscope-synthetic-sweep-'));
  const project = path.join(tmp, 'project');
  await createProject(project, 'synthetic sweep');
  console.log(`${cases.length} cases, one at a time, with the benchmark's defaults (scaled with K)`);
  const header = '   K  seed  corpus   est.span  verdict  learned  held  dropped  kept  epochs  bptt   ppl/floor  seconds  meets';
  console.log(header);
  let met = 0;
  const t0 = performance.now();
  try {
    for (const c of cases) {
      const id = `k${c.span}-s${c.seed}${c.control ? '-control' : ''}`;
      const r = await runSyntheticBenchmark({ projectDir: project, id, span: c.span, seed: c.seed, spec: c.control ? { independentTargets: true } : {} });
      const v = Object.fromEntries(r.verdict.checks.map((x) => [x.name, x.value]));
      const ok = meets(c, r);
      if (ok) met++;
      const training = JSON.parse(await fs.readFile(path.join(r.modelDir, 'training.json'), 'utf8')) as { origin?: { config?: { bptt?: number } } };
      console.log(
        `${String(c.span).padStart(4)}  ${String(c.seed).padStart(4)}  ${(c.control ? 'control' : 'real').padEnd(7)}  ` +
          `${String(r.estimatedSpan ?? 'none').padStart(8)}  ${(r.verdict.passed ? 'PASS' : 'FAIL').padEnd(7)}  ` +
          `${f2(v.learned).padStart(7)}  ${f2(v.held).padStart(4)}  ${f2(v.dropped).padStart(7)}  ${f2(v.kept).padStart(4)}  ` +
          `${String(r.training.epochs).padStart(6)}  ${String(training.origin?.config?.bptt ?? '?').padStart(4)}  ` +
          `${(r.perplexity.model / r.perplexity.floor).toFixed(4).padStart(10)}  ${r.seconds.total.toFixed(0).padStart(7)}  ${ok ? 'yes' : 'NO'}` +
          (r.estimatedSpan === null ? `  (${r.verdict.spanEstimate.reason})` : ''),
      );
      if (out) {
        const line = { ...c, estimatedSpan: r.estimatedSpan, passed: r.verdict.passed, checks: v, meets: ok, seconds: r.seconds, spanEstimate: r.verdict.spanEstimate, marker: r.profiles.marker.map((p) => p.r) };
        await fs.appendFile(out, JSON.stringify(line) + '\n');
      }
    }
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
  console.log(`${met} of ${cases.length} cases meet the criterion; ${((performance.now() - t0) / 60000).toFixed(1)} min`);
}
