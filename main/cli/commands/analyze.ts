// `mnemoscope analyze`: one state-gradient delay sweep of a model over a corpus split, saved
// as runs/<id>/ (run.json + .npy arrays), with a per-delay table at the end.
import path from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { runCommand, intOption } from '../command-runner';
import { formatRunTable, runAnySweep } from '../../engine/runs';
import type { AnalyzeParams } from '../../../shared/schemas/run';
import { parseShard, type ShardRef } from '../../../shared/shard';
import { shown } from '../terminal-text';

interface AnalyzeOpts {
  project: string;
  model: string;
  corpus: string;
  id: string;
  name?: string;
  split: 'valid' | 'test';
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
  json?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];
const list = (text: string) => text.split(',').map((w) => w.trim()).filter((w) => w !== '');

export function analyzeParams(o: AnalyzeOpts): AnalyzeParams {
  return {
    project: path.resolve(o.project),
    model: o.model,
    corpus: o.corpus,
    id: o.id,
    name: o.name,
    split: o.split,
    state: o.state,
    layer: o.layer,
    maxDelay: o.maxDelay,
    streams: o.streams,
    maxTokens: o.maxTokens,
    sample: o.sample,
    seed: o.seed,
    normalize: o.normalize,
    properties: o.property,
    words: o.words === undefined ? undefined : list(o.words),
    classSets: o.classSets === undefined ? undefined : list(o.classSets),
    groups: o.groups,
    workers: o.workers,
    shard: o.shard,
  };
}

/** `--shard I/N`: shard I of N, 1 ≤ I ≤ N. */
export function shardOption(value: string): ShardRef {
  const shard = parseShard(value);
  if (typeof shard === 'string') throw new InvalidArgumentError(`--shard must be I/N with 1 ≤ I ≤ N (e.g. 2/4), got '${value}'`);
  return shard;
}

export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .description('state-gradient delay sweep of a model over a corpus split, saved as a run of the project')
    .requiredOption('--project <dir>', 'the project folder')
    .requiredOption('--model <id>', 'the model to analyse')
    .requiredOption('--corpus <id>', 'the corpus whose split is analysed')
    .requiredOption('--id <id>', 'an id for the new run')
    .option('--name <name>', 'a display name')
    .addOption(new Option('--split <name>', 'the split').choices(['valid', 'test']).default('test'))
    .addOption(new Option('--state <s>', 'target state: cell c or hidden h (default: c for an LSTM layer, h for GRU and RNN layers)').choices(['c', 'h']))
    .option('--layer <n>', 'recurrent layer, 1-based (default: the last)', intOption('layer'))
    .option('--max-delay <d>', 'largest delay D (default 30)', intOption('max-delay', 0))
    .option('--streams <b>', 'parallel streams B the tokens are cut into (default 20)', intOption('streams'))
    .option('--max-tokens <n>', 'analyse only the first N tokens of the split', intOption('max-tokens'))
    .option('--sample <n>', 'quick estimate: start tangents at N uniformly sampled positions only', intOption('sample'))
    .option('--seed <n>', 'seed of --sample (default 1)', intOption('seed', 0))
    .addOption(new Option('--normalize <kind>', 'equal-variance normalisation of the embedding space').choices(['none', 'equal-variance']).default('none'))
    .option('--property <spec>', 'a property NAME=CLASS_A:CLASS_B (repeatable; default: sg-pl and common-proper when the corpus has the paper classes)', collect)
    .option('--words <list>', 'up to 50 comma-separated words with their own Ḡ')
    .option('--class-sets <list>', 'comma-separated class sets of the corpus to accumulate per class (default: all)')
    .option('--groups <k>', 'uncertainty groups for standard errors (default 10)', intOption('groups'))
    .option('--workers <n>', 'worker threads for the accumulation (default: all cores)', intOption('workers'))
    .option('--shard <I/N>', 'sweep only shard I of N (1/N of the streams) and save a partial run; merge the N shards with `mnemoscope merge`', shardOption)
    .option('--json', 'print one JSON object')
    .action(async (opts: AnalyzeOpts) => {
      process.exitCode = await runCommand(opts, async (io) => {
        const { dir, record } = await runAnySweep(analyzeParams(opts), {
          signal: io.signal,
          onProgress: (p) => io.progress({ fraction: p.fraction, label: p.label, secondsLeft: p.secondsLeft }),
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
          text: `${formatRunTable(record)}\nsaved run '${record.id}' in ${shown(dir)}`,
        };
      });
    });
}
