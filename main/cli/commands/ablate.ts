// `mnemoscope ablate`: a context ablation of a model over a corpus split (how much the loss
// rises when the input τ steps back is replaced, and the truncation curve), saved as a run of
// kind 'ablation'. Runs the engine's `ablate` job through its API, as the app does; the run is
// then read back through the API (runShowAblation) for the table and --json.
import type { Command } from 'commander';
import { Option } from 'commander';
import { runCommand, intOption } from '../command-runner';
import { withEngine } from '../engine-job';
import { addRunTargetOptions, commaList, runRunJob, runTargetParams, type RunTargetOpts } from '../run-job';
import { formatAblation } from '../format-ablation';
import type { AblateParams, AblationMode } from '../../../shared/schemas/ablation';
import { shown } from '../terminal-text';

interface AblateOpts extends RunTargetOpts {
  maxDelay?: number;
  mode: AblationMode;
  streams?: number;
  maxTokens?: number;
  classSets?: string;
  groups?: number;
  seed?: number;
  workers?: number;
}

export function ablateParams(o: AblateOpts): AblateParams {
  return {
    ...runTargetParams(o),
    mode: o.mode,
    ...(o.maxDelay !== undefined && { maxDelay: o.maxDelay }),
    ...(o.streams !== undefined && { streams: o.streams }),
    ...(o.maxTokens !== undefined && { maxTokens: o.maxTokens }),
    ...(o.classSets !== undefined && { classSets: commaList(o.classSets) }),
    ...(o.groups !== undefined && { groups: o.groups }),
    ...(o.seed !== undefined && { seed: o.seed }),
    ...(o.workers !== undefined && { workers: o.workers }),
  };
}

export function registerAblate(program: Command): void {
  const command = program
    .command('ablate')
    .description('context ablation: the loss increase Δ(τ) when the input τ steps back is replaced, and the truncation curve T(k), saved as a run');
  addRunTargetOptions(command, { model: 'the model', corpus: 'the corpus whose split is used' })
    .option('--max-delay <d>', 'largest delay D (and truncation length D+1; default 30)', intOption('max-delay', 0))
    .addOption(new Option('--mode <mode>', 'replacement: <unk>, a unigram draw from the training split, or a token from elsewhere in the stream').choices(['unk', 'random', 'shuffle']).default('unk'))
    .option('--streams <b>', 'parallel streams B the tokens are cut into, as for a sweep (default 20)', intOption('streams'))
    .option('--max-tokens <n>', 'use only the first N tokens of the split', intOption('max-tokens'))
    .option('--class-sets <list>', 'comma-separated class sets of the corpus to break Δ down by (default: all)')
    .option('--groups <k>', 'uncertainty groups for standard errors (default 10)', intOption('groups'))
    .option('--seed <n>', 'seed of the random and shuffle replacements (default 1)', intOption('seed', 0))
    .option('--workers <n>', 'worker threads (default: all cores; 0: in the job thread)', intOption('workers', 0))
    .option('--json', 'print one JSON object')
    .action(async (opts: AblateOpts) => {
      process.exitCode = await runCommand(opts, async (io) => {
        const params = ablateParams(opts);
        const { dir, record } = await withEngine(async (engine) => {
          // the table lists the run's warnings on stdout
          const { result } = await runRunJob(engine, 'ablate', params, io);
          return { dir: result.run.dir, record: await engine.api.runShowAblation({ project: params.project, run: result.run.id }) };
        });
        return {
          json: { run: { dir, ...record } },
          text: `${formatAblation(record)}\nsaved ablation run '${shown(record.id)}' in ${shown(dir)}`,
        };
      });
    });
}
