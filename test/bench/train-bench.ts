// `npm run bench -- train`: training tokens/s of the default model (E 64, H 256, V 10k, B 20,
// T 50, SGD with dropout 0.5 and clipping at 5), data-parallel over every core.
//  1. Each backend (and cell) once, a few batches: which backends run and roughly how fast.
//  2. The issue-11 comparison on wasm: our training sustained over --seconds (default 60)
//     against a PyTorch CPU anchor doing the same work (anchors/train_anchor.py: same model,
//     optimizer, dropout, clipping, objective, as many threads as cores, its BLAS held to one
//     thread so the two thread pools do not oversubscribe; see AnchorThreads), then once as
//     plainly configured for reference, in --pairs (default 3) alternated
//     pairs, since this machine's speed drifts from minute to minute; the ratio is taken
//     within each pair and printed per pair, as the median and as the spread. Each run
//     then times evaluation (no dropout, no gradients) for a quarter as long, on both
//     sides, with its own ratio. Then one
//     1-worker run for the scaling. Peak memory (RSS, worker threads included) beside each.
//     Without Debian's python3-torch the anchor is not run, and the bench says so.
// Options:
//   --cell=gru,rnn-tanh (or all)   cells of part 1 (default lstm)
//   --backends=wasm,cpu            backends of part 1
//   --seconds=60 --pairs=3         part 2's length; --pairs=0 skips it
//   --optimizer=adam --dropout=0   part 2's work (both sides)
//   --workers=N                    our workers (default all cores)
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchTraining, type BenchTrainingResult } from '../../main/engine/model/bench-training';
import type { BackendPreference } from '../../main/engine/model/backend';
import { TrainConfigSchema, type TrainConfig, type TrainConfigInput } from '../../shared/schemas/model';

type TrainCell = TrainConfig['cell'];
const CELLS = TrainConfigSchema.shape.cell.removeDefault().options;

const BACKENDS: { name: BackendPreference; batches: number }[] = [
  { name: 'tensorflow-gpu', batches: 5 },
  { name: 'tensorflow', batches: 5 },
  { name: 'wasm', batches: 5 },
  // Pure JS takes about a minute per batch of the default model.
  { name: 'cpu', batches: 1 },
];

interface ChildRequest {
  backend: BackendPreference;
  batches: number;
  seconds: number;
  /** Seconds of evaluation after the training steps (0: none). */
  evalSeconds: number;
  config: TrainConfigInput;
}
type ChildReport = { ok: true; result: BenchTrainingResult } | { ok: false; reason: string };

async function child(request: ChildRequest): Promise<void> {
  let report: ChildReport;
  try {
    report = {
      ok: true,
      result: await benchTraining(request.backend, { ...request.config, batches: request.batches, seconds: request.seconds, evalSeconds: request.evalSeconds }),
    };
  } catch (err) {
    report = { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
  process.stdout.write('\n@@' + JSON.stringify(report) + '\n');
  process.exit(0);
}

/** Runs one measurement in its own process (tfjs holds one backend per thread; a fresh heap per run). */
function measure(request: ChildRequest): ChildReport {
  const self = fileURLToPath(import.meta.url);
  const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--child', JSON.stringify(request)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 1 << 20,
  });
  const line = out.split('\n').find((l) => l.startsWith('@@'));
  return line ? (JSON.parse(line.slice(2)) as ChildReport) : { ok: false, reason: 'no report' };
}

interface AnchorReport {
  tokensPerSecond: number;
  steps: number;
  seconds: number;
  threads: number;
  torch: string;
  maxRssMiB: number;
  evalTokensPerSecond: number | null;
}

/** Debian's python3-torch: /usr/bin/python3 first (a python3 earlier on PATH may lack it). */
export function torchPython(): string | null {
  for (const python of ['/usr/bin/python3', 'python3']) {
    try {
      execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 });
      return python;
    } catch {
      /* not this one */
    }
  }
  return null;
}

/**
 * How PyTorch's threads are set. Debian's python3-torch takes its BLAS from libblas.so.3; with
 * libopenblas0-pthread (what it recommends) OpenBLAS starts its own thread per core beside
 * torch's OpenMP threads, and with torch.set_num_threads(2) the two pools oversubscribe the
 * cores: on our 2-core machine that halves PyTorch's speed. 'tuned' gives BLAS one thread
 * (OPENBLAS_NUM_THREADS=1) and torch the cores, PyTorch's best here; 'plain' is
 * set_num_threads(2) alone, as the issue measured it.
 */
type AnchorThreads = 'tuned' | 'plain';

function runAnchor(python: string, cfg: TrainConfig, seconds: number, threads: AnchorThreads = 'tuned', evalSeconds = 0): AnchorReport {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'anchors', 'train_anchor.py');
  const args = [
    script,
    ...['--cell', cfg.cell, '--E', cfg.embeddingDim, '--H', cfg.hiddenSize, '--V', cfg.vocabSize, '--B', cfg.batchSize, '--T', cfg.bptt],
    ...['--dropout', cfg.dropout, '--clip', cfg.clipNorm, '--optimizer', cfg.optimizer, '--threads', os.availableParallelism(), '--seconds', seconds],
    ...['--eval-seconds', evalSeconds],
  ].map(String);
  const env = threads === 'tuned' ? { ...process.env, OPENBLAS_NUM_THREADS: '1' } : process.env;
  const out = execFileSync(python, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env });
  return JSON.parse(out.trim().split('\n').pop() as string) as AnchorReport;
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

function numberOption(options: Map<string, string>, key: string, fallback: number): number {
  const raw = options.get(key);
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${key} must be a number ≥ 0, got '${raw}'`);
  return n;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function backendTable(options: Map<string, string>): void {
  const cells = listOption(options, 'cell', CELLS, ['lstm']) as TrainCell[];
  const names = listOption(options, 'backends', BACKENDS.map((b) => b.name), BACKENDS.map((b) => b.name));
  console.log('default model: E=64, H=256, V=10000, batch 20, BPTT 50, SGD + dropout 0.5 + clip 5, all cores');
  console.log('backend          cell       tokens/s   s/batch   batches   workers   warm-up s   peak MiB');
  for (const b of BACKENDS.filter((x) => names.includes(x.name))) for (const cell of cells) {
    const report = measure({ backend: b.name, batches: b.batches, seconds: 0, evalSeconds: 0, config: { cell } });
    if (!report.ok) {
      console.log(`${b.name.padEnd(16)} ${cell.padEnd(8)}   not available: ${report.reason}`);
      continue;
    }
    const r = report.result;
    console.log(
      `${b.name.padEnd(16)} ${cell.padEnd(8)} ${r.tokensPerSecond.toFixed(0).padStart(8)} ${r.secondsPerBatch.toFixed(2).padStart(9)} ${String(r.batches).padStart(9)} ${String(r.workers).padStart(9)} ${r.warmupSeconds.toFixed(1).padStart(11)} ${r.maxRssMiB.toFixed(0).padStart(10)}   ${r.description}`,
    );
  }
}

function anchorComparison(options: Map<string, string>): void {
  const pairs = numberOption(options, 'pairs', 3);
  if (pairs === 0) return;
  const seconds = numberOption(options, 'seconds', 60);
  const config: TrainConfigInput = {
    optimizer: (options.get('optimizer') as 'sgd' | 'adam' | undefined) ?? 'sgd',
    dropout: numberOption(options, 'dropout', 0.5),
    embeddingDropout: numberOption(options, 'dropout', 0.5),
  };
  if (options.has('workers')) config.workers = numberOption(options, 'workers', 1);
  const cfg = TrainConfigSchema.parse(config);
  const python = torchPython();
  console.log(
    `\nsustained training on wasm vs PyTorch CPU, same work: E=${cfg.embeddingDim}, H=${cfg.hiddenSize}, V=${cfg.vocabSize}, ` +
      `B=${cfg.batchSize}, T=${cfg.bptt}, ${cfg.optimizer}, dropout ${cfg.dropout}, clip ${cfg.clipNorm}; ≥ ${seconds} s per run, ${pairs} alternated pairs`,
  );
  if (!python) console.log('PyTorch anchor not run: python3-torch is not installed (apt-get install python3-torch); our figures only');
  // Evaluation (dropout off, no gradients) is timed after each run's training, on both sides.
  const evalSeconds = Math.max(5, Math.round(seconds / 4));
  const ratios: number[] = [];
  const evalRatios: number[] = [];
  const ours: number[] = [];
  console.log(`pair   ours tok/s  workers  peak MiB   PyTorch tok/s  threads  peak MiB   ratio   | evaluation (${evalSeconds} s): ours  PyTorch  ratio`);
  for (let p = 1; p <= pairs; p++) {
    const report = measure({ backend: 'wasm', batches: 3, seconds, evalSeconds, config });
    if (!report.ok) {
      console.log(`${String(p).padStart(4)}   failed: ${report.reason}`);
      continue;
    }
    const r = report.result;
    ours.push(r.tokensPerSecond);
    let line = `${String(p).padStart(4)} ${r.tokensPerSecond.toFixed(0).padStart(12)} ${String(r.workers).padStart(8)} ${r.maxRssMiB.toFixed(0).padStart(9)}`;
    const ourEval = r.evalTokensPerSecond ?? NaN;
    if (python) {
      const a = runAnchor(python, cfg, seconds, 'tuned', evalSeconds);
      const ratio = r.tokensPerSecond / a.tokensPerSecond;
      ratios.push(ratio);
      line += ` ${a.tokensPerSecond.toFixed(0).padStart(15)} ${String(a.threads).padStart(8)} ${a.maxRssMiB.toFixed(0).padStart(9)} ${ratio.toFixed(2).padStart(7)}`;
      const theirEval = a.evalTokensPerSecond ?? NaN;
      evalRatios.push(ourEval / theirEval);
      line += `   | ${ourEval.toFixed(0).padStart(26)} ${theirEval.toFixed(0).padStart(8)} ${(ourEval / theirEval).toFixed(2).padStart(6)}`;
    } else {
      line += `   | ${ourEval.toFixed(0).padStart(26)}`;
    }
    console.log(line);
  }
  if (ratios.length) {
    console.log(
      `ours / PyTorch (tuned threads: OPENBLAS_NUM_THREADS=1, torch ${os.availableParallelism()} threads): median ${median(ratios).toFixed(2)}×, ` +
        `spread ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}× over ${ratios.length} pairs`,
    );
    console.log(
      `evaluation, ours / PyTorch: median ${median(evalRatios).toFixed(2)}×, ` +
        `spread ${Math.min(...evalRatios).toFixed(2)}–${Math.max(...evalRatios).toFixed(2)}× over ${evalRatios.length} pairs`,
    );
  }
  if (python && ours.length) {
    const plain = runAnchor(python, cfg, seconds, 'plain');
    console.log(
      `PyTorch with torch.set_num_threads(${os.availableParallelism()}) alone (OpenBLAS's own threads oversubscribe the cores): ` +
        `${plain.tokensPerSecond.toFixed(0)} tok/s; ours / that: ${(median(ours) / plain.tokensPerSecond).toFixed(2)}× (medians)`,
    );
  }
  const single = measure({ backend: 'wasm', batches: 3, seconds, evalSeconds: 0, config: { ...config, workers: 1 } });
  if (single.ok && ours.length) {
    const s = single.result;
    console.log(
      `1 worker: ${s.tokensPerSecond.toFixed(0)} tok/s (peak ${s.maxRssMiB.toFixed(0)} MiB); scaling to ${cfg.workers ?? os.availableParallelism()} workers ` +
        `${(median(ours) / s.tokensPerSecond).toFixed(2)}× (medians; the two were not run at the same moment)`,
    );
  }
}

export async function runTrainBench(options: Map<string, string> = new Map()): Promise<void> {
  backendTable(options);
  anchorComparison(options);
}

const childAt = process.argv.indexOf('--child');
if (childAt >= 0) await child(JSON.parse(process.argv[childAt + 1]) as ChildRequest);
