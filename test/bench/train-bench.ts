// `npm run bench -- train`: training tokens/s of the default model (E 64, H 256, V 10k,
// B 20, T 50, SGD with dropout and clipping) on each backend. Each backend runs in its own
// process, since tfjs holds one active backend per thread.
//   --cell=gru,rnn-tanh (or all): the recurrent cell(s), one line each (default lstm)
//   --backends=wasm,cpu: only these backends
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchTraining, type BenchTrainingResult } from '../../main/engine/model/bench-training';
import type { BackendPreference } from '../../main/engine/model/backend';
import { TrainConfigSchema, type TrainConfig } from '../../shared/schemas/model';

type TrainCell = TrainConfig['cell'];
const CELLS = TrainConfigSchema.shape.cell.removeDefault().options;

const BACKENDS: { name: BackendPreference; batches: number }[] = [
  { name: 'tensorflow-gpu', batches: 5 },
  { name: 'tensorflow', batches: 5 },
  { name: 'wasm', batches: 5 },
  // Pure JS takes about a minute per batch of the default model.
  { name: 'cpu', batches: 1 },
];

type ChildReport = { ok: true; result: BenchTrainingResult } | { ok: false; reason: string };

async function child(backend: BackendPreference, batches: number, cell: TrainCell): Promise<void> {
  let report: ChildReport;
  try {
    report = { ok: true, result: await benchTraining(backend, { batches, cell }) };
  } catch (err) {
    report = { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
  process.stdout.write('\n@@' + JSON.stringify(report) + '\n');
}

function listOption(options: Map<string, string>, key: string, all: readonly string[], fallback: readonly string[]): string[] {
  const raw = options.get(key);
  if (raw === undefined || raw === '') return [...fallback];
  if (raw === 'all') return [...all];
  const asked = raw.split(',');
  const bad = asked.filter((a) => !all.includes(a));
  if (bad.length) throw new Error(`--${key}: unknown ${bad.join(', ')}; choose from ${all.join(', ')} or all`);
  return asked;
}

export async function runTrainBench(options: Map<string, string> = new Map()): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  const cells = listOption(options, 'cell', CELLS, ['lstm']) as TrainCell[];
  const names = listOption(options, 'backends', BACKENDS.map((b) => b.name), BACKENDS.map((b) => b.name));
  console.log('default model: E=64, H=256, V=10000, batch 20, BPTT 50, SGD + dropout 0.5 + clip 5');
  console.log('backend          cell       tokens/s   s/batch   batches   warm-up s');
  for (const b of BACKENDS.filter((x) => names.includes(x.name))) for (const cell of cells) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--child', b.name, String(b.batches), cell], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 1 << 20,
    });
    const line = out.split('\n').find((l) => l.startsWith('@@'));
    const report = line ? (JSON.parse(line.slice(2)) as ChildReport) : { ok: false as const, reason: 'no report' };
    if (!report.ok) {
      console.log(`${b.name.padEnd(16)} ${cell.padEnd(8)}   not available: ${report.reason}`);
      continue;
    }
    const r = report.result;
    console.log(
      `${b.name.padEnd(16)} ${cell.padEnd(8)} ${r.tokensPerSecond.toFixed(0).padStart(8)} ${r.secondsPerBatch.toFixed(2).padStart(9)} ${String(r.batches).padStart(9)} ${r.warmupSeconds.toFixed(1).padStart(11)}   ${r.description}`,
    );
  }
}

const childAt = process.argv.indexOf('--child');
if (childAt >= 0) {
  await child(process.argv[childAt + 1] as BackendPreference, Number(process.argv[childAt + 2]), process.argv[childAt + 3] as TrainCell);
}
