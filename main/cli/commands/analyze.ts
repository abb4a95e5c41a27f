// `mnemoscope analyze`: one state-gradient delay sweep of a model over a corpus split, saved
// as runs/<id>/ (run.json + .npy arrays), with a per-delay table at the end. Runs the engine's
// `analyze` job through its API, as the app does; the run it saved is then read back through
// the API (runShow, or runShowPartial for a shard) for the table and --json.
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { runCommand, intOption } from '../command-runner';
import { withEngine } from '../engine-job';
import { addRunTargetOptions, commaList, runRunJob, runTargetParams, type RunTargetOpts } from '../run-job';
import { formatRunTable } from '../../engine/runs/run-table';
import { MAX_WORDS, SweepEngineSchema, type AnalyzeParams } from '../../../shared/schemas/run';
import { BackendPreferenceSchema } from '../../../shared/schemas/model';
import { parseShard, type ShardRef } from '../../../shared/shard';
import { shown } from '../terminal-text';

interface AnalyzeOpts extends RunTargetOpts {
  state?: 'c' | 'h';
  layer?: number;
  maxDelay?: number;
  streams?: number;
  maxTokens?: number;
  sample?: number;
  seed?: number;
  normalize: 'none' | 'equal-variance';
  property?: string[];
  words?: string;
  classSets?: string;
  groups?: number;
  workers?: number;
  shard?: { index: number; count: number };
  engine?: AnalyzeParams['engine'];
  backend?: AnalyzeParams['backend'];
  deviceMemory?: number;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function analyzeParams(o: AnalyzeOpts): AnalyzeParams {
  return {
    ...runTargetParams(o),
    state: o.state,
    layer: o.layer,
    maxDelay: o.maxDelay,
    streams: o.streams,
    maxTokens: o.maxTokens,
    sample: o.sample,
    seed: o.seed,
    normalize: o.normalize,
    properties: o.property,
    words: o.words === undefined ? undefined : commaList(o.words),
    classSets: o.classSets === undefined ? undefined : commaList(o.classSets),
    groups: o.groups,
    workers: o.workers,
    shard: o.shard,
    engine: o.engine,
    backend: o.backend,
    deviceMemory: o.deviceMemory,
  };
}

/** `--shard I/N`: shard I of N, 1 ≤ I ≤ N. */
export function shardOption(value: string): ShardRef {
  const shard = parseShard(value);
  if (typeof shard === 'string') throw new InvalidArgumentError(`--shard must be I/N with 1 ≤ I ≤ N (e.g. 2/4), got '${value}'`);
  return shard;
}

export function registerAnalyze(program: Command): void {
  const command = program.command('analyze').description('state-gradient delay sweep of a model over a corpus split, saved as a run of the project');
  addRunTargetOptions(command, { model: 'the model to analyse', corpus: 'the corpus whose split is analysed' })
    .addOption(new Option('--state <s>', 'target state: cell c or hidden h (default: c for an LSTM layer, h for GRU and RNN layers)').choices(['c', 'h']))
    .option('--layer <n>', 'recurrent layer, 1-based (default: the last)', intOption('layer'))
    .option('--max-delay <d>', 'largest delay D (default 30)', intOption('max-delay', 0))
    .option('--streams <b>', 'parallel streams B the tokens are cut into (default 20)', intOption('streams'))
    .option('--max-tokens <n>', 'analyse only the first N tokens of the split', intOption('max-tokens'))
    .option('--sample <n>', 'quick estimate: start tangents at N uniformly sampled positions only', intOption('sample'))
    .option('--seed <n>', 'seed of --sample (default 1)', intOption('seed', 0))
    .addOption(new Option('--normalize <kind>', 'equal-variance normalisation of the embedding space').choices(['none', 'equal-variance']).default('none'))
    .option('--property <spec>', 'a property NAME=CLASS_A:CLASS_B (repeatable; default: sg-pl and common-proper when the corpus has the paper classes)', collect)
    .option('--words <list>', `up to ${MAX_WORDS} comma-separated words with their own Ḡ`)
    .option('--class-sets <list>', 'comma-separated class sets of the corpus to accumulate per class (default: all)')
    .option('--groups <k>', 'uncertainty groups for standard errors (default 10)', intOption('groups'))
    .option('--workers <n>', 'worker threads for the accumulation (default: all cores)', intOption('workers'))
    .option('--shard <I/N>', 'sweep only shard I of N (1/N of the streams) and save a partial run; merge the N shards with `mnemoscope merge`', shardOption)
    .addOption(
      new Option('--engine <path>', 'sweep path: kernels (a worker per core, wasm SIMD), tensor (one worker that owns the device, tensor ops), auto (tensor on tensorflow-gpu, else kernels)')
        .choices([...SweepEngineSchema.options]),
    )
    .addOption(new Option('--backend <name>', 'tfjs backend of the sweep (default: tensorflow-gpu on the tensor path when usable, else wasm)').choices([...BackendPreferenceSchema.options]))
    .option('--device-memory <MB>', 'tensor path: device memory in MiB to plan the streams swept at once for (default: nvidia-smi\'s free memory on a GPU, else 2048)', intOption('device-memory'))
    .option('--json', 'print one JSON object')
    .action(async (opts: AnalyzeOpts) => {
      process.exitCode = await runCommand(opts, async (io) => {
        const params = analyzeParams(opts);
        const { dir, record } = await withEngine(async (engine) => {
          // The run's warnings are the job's log lines 'warning: …': a complete run's table lists
          // them on stdout, so they are printed on stderr only for a partial run (no table).
          const { result, warnings } = await runRunJob(engine, 'analyze', params, io);
          if (result.shard) for (const w of warnings) io.info(w);
          const ref = { project: params.project, run: result.run.id };
          const saved = result.shard ? await engine.api.runShowPartial(ref) : (await engine.api.runShow(ref)).record;
          return { dir: result.run.dir, record: saved };
        });
        if ('partial' in record) {
          const { index, count } = record.partial.shard;
          return {
            json: { run: { dir, ...record } },
            text:
              `saved partial run '${shown(record.id)}' (shard ${index}/${count}: streams ${record.partial.firstStream}..${record.partial.firstStream + record.partial.streams - 1} ` +
              `of ${record.config.streams}, ${record.counts.sources} sources) in ${shown(dir)}\n` +
              `when all ${count} shards are swept: mnemoscope merge --project <dir> --runs <their ids> --id <new id>`,
          };
        }
        return {
          json: { run: { dir, ...record } },
          text: `${formatRunTable(record)}\nsaved run '${shown(record.id)}' in ${shown(dir)}`,
        };
      });
    });
}
