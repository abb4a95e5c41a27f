// `npm run bench -- train`: training tokens/s of the default model (E 64, H 256, V 10k,
// B 20, T 50, SGD with dropout and clipping) on each backend. Each backend runs in its own
// process, since tfjs holds one active backend per thread.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchTraining, type BenchTrainingResult } from '../../main/engine/model/bench-training';
import type { BackendPreference } from '../../main/engine/model/backend';

const BACKENDS: { name: BackendPreference; batches: number }[] = [
  { name: 'tensorflow-gpu', batches: 5 },
  { name: 'tensorflow', batches: 5 },
  { name: 'wasm', batches: 5 },
  // Pure JS takes about a minute per batch of the default model.
  { name: 'cpu', batches: 1 },
];

type ChildReport = { ok: true; result: BenchTrainingResult } | { ok: false; reason: string };

async function child(backend: BackendPreference, batches: number): Promise<void> {
  let report: ChildReport;
  try {
    report = { ok: true, result: await benchTraining(backend, { batches }) };
  } catch (err) {
    report = { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
  process.stdout.write('\n@@' + JSON.stringify(report) + '\n');
}

export async function runTrainBench(): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  console.log('default model: E=64, H=256, V=10000, batch 20, BPTT 50, SGD + dropout 0.5 + clip 5');
  console.log('backend          tokens/s   s/batch   batches   warm-up s');
  for (const b of BACKENDS) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--child', b.name, String(b.batches)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 1 << 20,
    });
    const line = out.split('\n').find((l) => l.startsWith('@@'));
    const report = line ? (JSON.parse(line.slice(2)) as ChildReport) : { ok: false as const, reason: 'no report' };
    if (!report.ok) {
      console.log(`${b.name.padEnd(16)} not available: ${report.reason}`);
      continue;
    }
    const r = report.result;
    console.log(
      `${b.name.padEnd(16)} ${r.tokensPerSecond.toFixed(0).padStart(8)} ${r.secondsPerBatch.toFixed(2).padStart(9)} ${String(r.batches).padStart(9)} ${r.warmupSeconds.toFixed(1).padStart(11)}   ${r.description}`,
    );
  }
}

const childAt = process.argv.indexOf('--child');
if (childAt >= 0) await child(process.argv[childAt + 1] as BackendPreference, Number(process.argv[childAt + 2]));
