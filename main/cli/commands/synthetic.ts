// `mnemoscope synthetic`: the built-in memory benchmark. Generates a corpus whose marker
// must be remembered for exactly K tokens, trains a small LSTM on it, analyses it as an
// ordinary run (corpus, model and run share --id) and says whether the analysis finds the
// memory where it was put, and where the analysis alone puts its end (estimatedSpan).
// --check turns a failed verdict into exit code 1. Runs the engine's `synthetic` job.
import path from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { runCommand, intOption } from '../command-runner';
import { runEngineJob, withEngine } from '../engine-job';
import { BACKEND_NAMES, type BackendPreference } from '../../engine/model/backend';
import { DEFAULT_EPOCHS, DEFAULT_SENTENCES, DEFAULT_SPAN, DEFAULT_SPEC, SCALE_ABOVE } from '../../engine/synthetic';
import type { JobResult } from '../../../shared/jobs';
import { formatSyntheticReport } from '../format-synthetic';

interface SyntheticOpts {
  project: string;
  id: string;
  name?: string;
  span?: number;
  seed?: number;
  sentences?: number;
  epochs?: number;
  maxGap?: number;
  markers?: number;
  fillers?: number;
  emb?: number;
  hidden?: number;
  control?: boolean;
  maxDelay?: number;
  workers?: number;
  backend: BackendPreference;
  check?: boolean;
  json?: boolean;
}

export function registerSynthetic(program: Command): void {
  program
    .command('synthetic')
    .description('built-in memory benchmark: a corpus whose marker must be remembered for K tokens, a small LSTM trained on it, and the analysis that should find that memory')
    .requiredOption('--project <dir>', 'the project folder')
    .requiredOption('--id <id>', 'id of the corpus, the model and the run it creates')
    .option('--name <name>', 'a display name (default: the id)')
    .option('--span <K>', `tokens from marker to target (default ${DEFAULT_SPAN})`, intOption('span'))
    .option('--seed <n>', 'seed of the generator and the training (default 1)', intOption('seed'))
    .option('--sentences <n>', `training episodes, one per line; valid and test get a fifth each (default ${DEFAULT_SENTENCES})`, intOption('sentences', 100))
    .option('--epochs <n>', `training epochs (default ${DEFAULT_EPOCHS} up to K = ${SCALE_ABOVE}, 1.5K beyond, with BPTT 2K and Adam's rate 0.01)`, intOption('epochs'))
    .option('--max-gap <G>', `fillers between a target and the next marker: 0..G (default ${DEFAULT_SPEC.maxGap})`, intOption('max-gap', 0))
    .option('--markers <n>', `marker words per class (default ${DEFAULT_SPEC.markersPerClass})`, intOption('markers'))
    .option('--fillers <n>', `filler words (default ${DEFAULT_SPEC.fillers})`, intOption('fillers'))
    .option('--emb <n>', 'embedding size (default 16)', intOption('emb'))
    .option('--hidden <n>', 'LSTM units (default 32)', intOption('hidden'))
    .option('--control', 'control corpus: targets independent of the marker, nothing to remember (the verdict should fail)')
    .option('--max-delay <D>', 'largest delay analysed (default max(30, K + G + 7))', intOption('max-delay', 0))
    .option('--workers <n>', 'accumulation worker threads (default 0: in the analysis job itself; the sweep is tiny)', intOption('workers', 0))
    .addOption(new Option('--backend <name>', 'training backend (default: the fastest available)').choices([...BACKEND_NAMES]).default('auto'))
    .option('--check', 'exit with code 1 when the verdict fails')
    .option('--json', 'print one JSON object')
    .action(async (opts: SyntheticOpts) => {
      let result: JobResult<'synthetic'> | null = null;
      const code = await runCommand(opts, async (io) => {
        const params = {
          project: path.resolve(opts.project),
          id: opts.id,
          name: opts.name,
          span: opts.span,
          seed: opts.seed,
          sentences: opts.sentences,
          epochs: opts.epochs,
          spec: {
            ...(opts.maxGap !== undefined ? { maxGap: opts.maxGap } : {}),
            ...(opts.markers !== undefined ? { markersPerClass: opts.markers } : {}),
            ...(opts.fillers !== undefined ? { fillers: opts.fillers } : {}),
            ...(opts.control ? { independentTargets: true } : {}),
          },
          model: {
            ...(opts.emb !== undefined ? { embeddingDim: opts.emb } : {}),
            ...(opts.hidden !== undefined ? { hiddenSize: opts.hidden } : {}),
          },
          maxDelay: opts.maxDelay,
          workers: opts.workers,
          backend: opts.backend,
        };
        result = await withEngine((engine) => runEngineJob(engine, 'synthetic', params, io));
        return { json: { synthetic: result }, text: formatSyntheticReport(result) };
      });
      const failedVerdict = code === 0 && opts.check === true && result !== null && !(result as JobResult<'synthetic'>).verdict.passed;
      process.exitCode = failedVerdict ? 1 : code;
    });
}
