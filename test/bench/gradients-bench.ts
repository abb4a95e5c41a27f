// `npm run bench -- gradients [--sizes=64,256x64] [--pairs=3] [--parts=anchor,scaling,cells]
//   [--cells=lstm,gru,gru-classic,rnn-tanh]`: the state-gradient sweep's speed (issue §5, issue 11).
// --sizes takes H×E per size ('256x64' is H = 256, E = 64; a plain '200' is H = E = 200);
// D = 30, random tokens, weights scaled so the cells are not saturated (gradients-model.ts).
// Printed, never asserted. Per size, the parts asked for:
//
// anchor: the whole sweep (accumulateStateGradients: worker threads and their wasm backends
//   started, the sweep of c, the exact merge and transpose of the partial sums: what
//   `mnemoscope analyze` does between reading its inputs and the SVDs), all cores, B = 8
//   streams, in its own process (sweep-probe.ts) so its peak RSS (VmHWM) is the sweep's;
//   alternated with the PyTorch CPU anchor doing the same work on 2 threads
//   (anchors/sweep_anchor.py, which says what it computes and omits) when Debian's
//   python3-torch is importable (/usr/bin/python3 first, then python3 on PATH); otherwise our
//   figure alone, saying the anchor was not run. Our time includes starting the workers and
//   their backends (about 0.5 s); PyTorch's leaves out `import torch` (about 1 s, printed).
//   Ratio = PyTorch seconds / ours (> 1: we are
//   faster), per pair (with the 1-minute load average: other work on the machine slows
//   PyTorch's two synchronised threads more than our two independent workers, so compare
//   figures taken at a load near 0), then the median and the min–max spread.
// scaling: flops, GFLOP/s, positions/s of an LSTM with 1 worker and with all cores (B = 20),
//   next to tfjs's plain matMul rate (XNNPACK) measured in this run on the sweep's own GEMM
//   shapes (the sweep runs its own GEMM, wasm-gemm-engine.ts, so its share can pass 1); the 1-worker and all-core runs alternate in pairs (this machine's speed drifts by
//   20-30 % from one minute to the next) and the ratio is taken within each pair. Two plain
//   matMuls in two processes at once give the machine's own ceiling for the two-worker ratio.
// cells: per cell (--cells, 'none' for none), one worker's sweep of h and its share of
//   matMul's rate on that cell's GEMM shape.
// The workers run the bundled worker (built first), as the CLI and the app do.
//
// Flop counts: "nominal" = 2·G·H²·E per (source, step) with G gate blocks (8·H²·E for the
// LSTM), DESIGN §4's count for the unfolded recurrence (the figure to compare with other
// implementations); "executed" = what the folded GEMMs actually computed: for the LSTM about
// half of it, for the GRUs a third, for an RNN all (tangent-step.ts, tangent-cells.ts).
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WORKER_SCRIPT_ENV } from '../../main/engine/jobs/run-in-worker';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../main/engine/model/backend';
import type { RnnLmWeights } from '../../main/engine/model/rnn-weights';
import { CellSchema } from '../../shared/schemas/model';
import { tangentCell } from '../../main/engine/gradients/tangent-cells';
import { accumulateStateGradients, type StateGradientResult } from '../../main/engine/gradients/parallel-driver';
import { defaultSlotsPerBlock } from '../../main/engine/gradients/chunk-sweep';
import { benchModel, benchTokens } from './gradients-model';

const D = 30;
const B = 20;
/** streams of the PyTorch comparison (issue 11's runs) */
const ANCHOR_STREAMS = 8;

/**
 * Plain matMul rate for [rows, k]·[k, n] (fresh right side per call if asked): best of 3
 * by wall time, and by CPU time (GFLOP per CPU-second, robust to other load on the machine).
 */
function matMulRate(rows: number, k: number, n: number, freshWeights: boolean): { wall: number; cpu: number } {
  const a = tf.randomNormal([rows, k]) as tf.Tensor2D;
  const w = tf.randomNormal([k, n]) as tf.Tensor2D;
  const once = () => {
    const ww = freshWeights ? tf.clone(w) : w;
    tf.matMul(a, ww).dispose();
    if (freshWeights) ww.dispose();
  };
  for (let i = 0; i < 3; i++) once();
  const reps = Math.max(3, Math.ceil(2e9 / (2 * rows * k * n)));
  let best = Infinity;
  let bestCpu = Infinity;
  for (let trial = 0; trial < 3; trial++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (let i = 0; i < reps; i++) once();
    const c = process.cpuUsage(c0);
    best = Math.min(best, (performance.now() - t0) / reps);
    bestCpu = Math.min(bestCpu, (c.user + c.system) / 1000 / reps);
  }
  tf.dispose([a, w]);
  return { wall: (2 * rows * k * n) / best / 1e6, cpu: (2 * rows * k * n) / bestCpu / 1e6 };
}

/** Nominal GFLOP per CPU-second of the sweeps (null when the platform cannot tell). */
function perCpu(r: StateGradientResult): number | null {
  return r.cpuSeconds ? r.flops / r.cpuSeconds / 1e9 : null;
}

function steadyFlopsPerPosition(H: number, E: number): number {
  return 8 * H * H * E * D; // every position is the target of D delays ≥ 1 at steady state
}

function line(label: string, r: StateGradientResult, H: number, E: number): string {
  const positions = r.streams * r.length;
  const exec = r.gemmFlops / r.computeSeconds / 1e9;
  return (
    `${label.padEnd(10)} ${(r.flops / 1e9).toFixed(1).padStart(7)} GFLOP nominal  ` +
    `${r.gflops.toFixed(1).padStart(5)} GFLOP/s nominal (${exec.toFixed(1)} executed)  ` +
    `${(positions / r.computeSeconds).toFixed(1).padStart(7)} positions/s (steady state ${(
      (r.gflops * 1e9) /
      steadyFlopsPerPosition(H, E)
    ).toFixed(1)})  sweep ${r.computeSeconds.toFixed(2)} s, wall ${r.wallSeconds.toFixed(2)} s; ` +
    `CPU ${r.cpuSeconds?.toFixed(2) ?? '?'} s = ${perCpu(r)?.toFixed(1) ?? '?'} GFLOP/s per busy core; flushed ${r.flushedValues}` +
    (r.workerSeconds.length > 1 ? `; each worker's sweep ${r.workerSeconds.map((x) => x.toFixed(2)).join(' / ')} s` : '')
  );
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Builds the Node bundles and points the job runner at the bundled worker; a worker bundle
 * already named by $MNEMOSCOPE_WORKER_SCRIPT is used as it is (e.g. to compare two builds).
 */
function useBundledWorker(): void {
  if (process.env[WORKER_SCRIPT_ENV]) return;
  execFileSync(process.execPath, [path.join(root, 'build', 'build.mjs'), '--main-only'], { cwd: root, stdio: 'ignore' });
  process.env[WORKER_SCRIPT_ENV] = path.join(root, 'dist', 'main', 'worker.js');
}

/** One probe process's matMul GFLOP/s (test/bench/matmul-probe.ts). */
async function probe(rows: number, k: number, n: number, seconds: number): Promise<number> {
  const args = ['--import', 'tsx', path.join(root, 'test', 'bench', 'matmul-probe.ts'), ...[rows, k, n, seconds].map(String)];
  return (await runJson<{ gflops: number }>(process.execPath, args)).gflops;
}

/** Plain matMul alone, then `cores` at once, then alone again: the machine's own multi-core GEMM scaling. */
async function machineCeiling(rows: number, k: number, n: number, cores: number): Promise<{ alone: number; together: number[] }> {
  const seconds = 6;
  const first = await probe(rows, k, n, seconds);
  const together = await Promise.all(Array.from({ length: cores }, () => probe(rows, k, n, seconds)));
  const second = await probe(rows, k, n, seconds);
  return { alone: (first + second) / 2, together };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const range = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;

/** Stream length per size for the scaling part: long enough (about 15–40 s for one worker) that start-up does not dominate. */
function lengthFor(H: number, E: number): number {
  return Math.max(40, Math.round(400 * (64 ** 3 / (H * H * E))));
}

/** Stream length of the PyTorch comparison: issue 11's runs (T = 400 at 64×64, 200 at 256×64), about 20 s of PyTorch per run. */
function anchorLengthFor(H: number, E: number): number {
  return Math.max(40, Math.min(400, Math.round((200 * 256 * 256 * 64) / (H * H * E))));
}

/** '256x64' → H = 256, E = 64; '200' → H = E = 200. */
export function parseSizes(spec: string): { H: number; E: number }[] {
  return spec.split(',').map((part) => {
    const m = /^(\d+)(?:[x×](\d+))?$/.exec(part.trim());
    const H = m ? Number(m[1]) : NaN;
    const E = m ? Number(m[2] ?? m[1]) : NaN;
    if (!(H >= 1 && E >= 1)) throw new Error(`--sizes takes H or HxE (positive integers), comma-separated, got '${spec}'`);
    return { H, E };
  });
}

/**
 * A Python that imports torch (Debian's python3-torch): $MNEMOSCOPE_BENCH_PYTHON if set ('none'
 * runs no anchor), else /usr/bin/python3, then python3 on PATH; null if none.
 */
function torchPython(): string | null {
  const asked = process.env.MNEMOSCOPE_BENCH_PYTHON;
  if (asked === 'none') return null;
  for (const py of asked ? [asked] : ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 });
    if (r.status === 0) return py;
  }
  return null;
}

/** Runs a child process and parses the JSON on the last line of its stdout. */
function runJson<T>(cmd: string, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) reject(new Error(`${cmd} ${args.join(' ')} failed (exit ${code}): ${out}${err}`));
      else resolve(JSON.parse(last) as T);
    });
  });
}

interface ProbeResult {
  seconds: number;
  computeSeconds: number;
  workerSeconds: number[];
  cpuSeconds: number | null;
  flops: number;
  gflops: number;
  flushed: number;
  pairs: number;
  peakMB: number;
}

/** Ours against PyTorch, alternated pairs: the whole sweep of c with all cores vs the anchor on 2 threads. */
async function anchorComparison(H: number, E: number, pairs: number, cores: number, python: string | null): Promise<void> {
  const T = anchorLengthFor(H, E);
  const Bs = ANCHOR_STREAMS;
  const params = { H, E, B: Bs, T, D, workers: cores, state: 'c' };
  const anchorArgs = ['--hidden', H, '--embed', E, '--streams', Bs, '--length', T, '--delay', D, '--threads', 2].map(String);
  console.log(`\nH = ${H}, E = ${E}: whole sweep of c, B = ${Bs}, T = ${T}, D = ${D}, ${cores} workers` + (python ? ` vs PyTorch CPU (2 threads, ${python})` : ''));
  const ratios: number[] = [];
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let pair = 1; pair <= pairs; pair++) {
    const r = await runJson<ProbeResult>(process.execPath, ['--import', 'tsx', path.join(root, 'test', 'bench', 'sweep-probe.ts'), JSON.stringify(params)]);
    ours.push(r.seconds);
    let text =
      `pair ${pair} (load ${os.loadavg()[0].toFixed(1)}): ours ${r.seconds.toFixed(2)} s (sweep ${r.computeSeconds.toFixed(2)} s, ${r.gflops.toFixed(1)} GFLOP/s nominal; ` +
      `peak RSS ${r.peakMB.toFixed(0)} MB; flushed ${r.flushed})`;
    if (python) {
      const a = await runJson<{ seconds: number; import_seconds: number; maxrss_mb: number; threads: number; torch: string }>(python, [
        path.join(root, 'test', 'bench', 'anchors', 'sweep_anchor.py'),
        ...anchorArgs,
      ]);
      theirs.push(a.seconds);
      ratios.push(a.seconds / r.seconds);
      text += `, PyTorch ${a.torch} ${a.seconds.toFixed(2)} s (+ ${a.import_seconds.toFixed(2)} s importing torch, not counted; peak RSS ${a.maxrss_mb.toFixed(0)} MB): ratio ${(a.seconds / r.seconds).toFixed(2)}×`;
    }
    console.log(text);
  }
  if (python) {
    console.log(
      `ours / PyTorch speed over ${pairs} alternated pairs (PyTorch seconds / ours): median ${median(ratios).toFixed(2)}×, ` +
        `spread ${range(ratios)} (ours median ${median(ours).toFixed(2)} s, PyTorch ${median(theirs).toFixed(2)} s; target ≥ 1.0)`,
    );
  } else {
    console.log(`PyTorch anchor not run: no python3 with torch (apt-get install python3-torch); ours median ${median(ours).toFixed(2)} s`);
  }
}

export async function benchGradients(options: Map<string, string> = new Map()): Promise<void> {
  const sizes = parseSizes(options.get('sizes') ?? '64,256x64');
  const pairs = Math.max(1, Number(options.get('pairs') ?? 3));
  const parts = new Set((options.get('parts') ?? 'anchor,scaling,cells').split(','));
  const cellsOption = options.get('cells') ?? 'lstm,gru,gru-classic,rnn-tanh';
  const cells = cellsOption === 'none' || !parts.has('cells') ? [] : cellsOption.split(',').map((c) => CellSchema.parse(c));
  const cores = os.availableParallelism();
  useBundledWorker();
  const python = parts.has('anchor') ? torchPython() : null;
  const info = await selectBackend('wasm');
  console.log(`backend: ${info.description}; ${cores} cores; D = ${D}; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  for (const { H, E } of sizes) {
    if (parts.has('anchor')) await anchorComparison(H, E, pairs, cores, python);
    if (!parts.has('scaling') && cells.length === 0) continue;
    const T = lengthFor(H, E);
    const weights = benchModel(H, E);
    const tokens = benchTokens(B * T);
    const spb = defaultSlotsPerBlock(H, E);
    const sweepShape = matMulRate(spb * E, H, 2 * H, true);
    const unfolded = matMulRate(8 * (D + 1) * E, H, 4 * H, false);
    console.log(`\nH = ${H}, E = ${E}, B = ${B}, T = ${T} (${B * T} positions)`);
    console.log(
      `plain tfjs ${tf.getBackend()} matMul: ${sweepShape.wall.toFixed(1)} GFLOP/s (${sweepShape.cpu.toFixed(1)} per CPU-s) on the sweep's GEMM ` +
        `[${spb * E}×${H}]·[${H}×${2 * H}] with new weights each call; ${unfolded.wall.toFixed(1)} GFLOP/s (${unfolded.cpu.toFixed(1)} per CPU-s) on the unfolded ` +
        `[${8 * (D + 1) * E}×${H}]·[${H}×${4 * H}]`,
    );
    const best = Math.max(sweepShape.wall, unfolded.wall);
    const bestCpu = Math.max(sweepShape.cpu, unfolded.cpu);
    if (parts.has('scaling')) {
      const bySweep: number[] = [];
      const byWall: number[] = [];
      const toMatMul: number[] = [];
      for (let pair = 1; pair <= pairs; pair++) {
        const [one, all] = [await sweep(weights, tokens, 1), await sweep(weights, tokens, cores)];
        console.log(line(`pair ${pair}, 1 worker`, one, H, E));
        console.log(line(`pair ${pair}, ${cores} workers`, all, H, E));
        bySweep.push(all.gflops / one.gflops);
        byWall.push(one.wallSeconds / all.wallSeconds);
        toMatMul.push(one.gemmFlops / one.computeSeconds / 1e9 / best);
        const c1 = perCpu(one);
        if (pair === 1 && c1) {
          console.log(`  1 worker per CPU-second: ${(c1 / bestCpu).toFixed(2)} nominal, ${(c1 / 2 / bestCpu).toFixed(2)} executed of matMul's rate per CPU-second`);
        }
      }
      const ceiling = await machineCeiling(spb * E, H, 2 * H, cores);
      const ceilingRatio = ceiling.together.reduce((a, b) => a + b, 0) / ceiling.alone;
      console.log(
        `sweep / matMul (1 worker, executed flops, by wall time): median ${median(toMatMul).toFixed(2)}, range ${range(toMatMul)} (target ≥ 0.5)`,
      );
      console.log(
        `${cores} workers / 1 over ${pairs} alternated pairs: by sweep time median ${median(bySweep).toFixed(2)}× (${range(bySweep)}), ` +
          `by wall time median ${median(byWall).toFixed(2)}× (${range(byWall)}) (target ≥ 1.7)`,
      );
      console.log(
        `machine ceiling: ${cores} plain matMul processes at once give ${ceilingRatio.toFixed(2)}× one alone ` +
          `(${ceiling.alone.toFixed(1)} GFLOP/s alone, ${ceiling.together.map((g) => g.toFixed(1)).join(' + ')} together)`,
      );
    }
    if (cells.length > 0) console.log(`per cell, 1 worker, target h:`);
    for (const cell of cells) {
      const width = tangentCell(cell).width * H;
      const shape = matMulRate(spb * E, H, width, true);
      const one = await sweep(benchModel(H, E, cell), tokens, 1, 'h');
      const exec = one.gemmFlops / one.computeSeconds / 1e9;
      console.log(
        `  ${cell.padEnd(11)} ${(one.streams * one.length / one.computeSeconds).toFixed(1).padStart(7)} positions/s  ` +
          `${one.gflops.toFixed(1).padStart(5)} GFLOP/s nominal, ${exec.toFixed(1).padStart(5)} executed = ${(exec / shape.wall).toFixed(2)} of ` +
          `matMul's ${shape.wall.toFixed(1)} GFLOP/s on [${spb * E}×${H}]·[${H}×${width}]  (sweep ${one.computeSeconds.toFixed(2)} s, flushed ${one.flushedValues})`,
      );
    }
  }
}

function sweep(weights: RnnLmWeights, tokens: Int32Array, workers: number, state: 'c' | 'h' = 'c'): Promise<StateGradientResult> {
  return accumulateStateGradients(weights, tokens, { state, maxDelay: D, streams: B, backend: 'wasm' }, { workers });
}

export const runGradientsBench = benchGradients;
