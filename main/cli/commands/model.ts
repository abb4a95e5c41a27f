// `mnemoscope train`, `mnemoscope model import|show` and `mnemoscope eval`: language models in a
// project, through the engine's API as the app does (the train, import-model and evaluate jobs, modelShow).
import path from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { runCommand, intOption, floatOption, type CommandIO } from '../command-runner';
import { runEngineJob, withEngine } from '../engine-job';
import { formatDuration } from '../../../shared/format';
import { JobCancelledError, UserError } from '../../engine/errors';
import { BACKEND_NAMES, type BackendPreference } from '../../engine/model/backend';
import type { TrainConfigInput, TrainProgress } from '../../../shared/schemas/model';
import { CELL_LABELS, TrainConfigSchema } from '../../../shared/schemas/model';
import { TrainRecipeNameSchema, type TrainRecipeName } from '../../../shared/schemas/train-recipes';
import type { KeyOverride } from '../../engine/model/pytorch-keys';
import { shown } from '../terminal-text';

export interface TrainOpts {
  project: string;
  corpus: string;
  id: string;
  name?: string;
  layers?: number;
  emb?: number;
  hidden?: number;
  vocab?: number;
  epochs?: number;
  bptt?: number;
  batch?: number;
  maxTokens?: number;
  seed?: number;
  dropout?: number;
  embDropout?: number;
  forgetBias?: number;
  recipe?: TrainRecipeName;
  cell?: TrainConfigInput['cell'];
  optimizer?: 'sgd' | 'adam';
  lr?: number;
  clip?: number;
  patience?: number;
  workers?: number;
  backend: BackendPreference;
  json?: boolean;
}

const backendOption = () =>
  new Option('--backend <name>', 'compute backend (default: the fastest available)').choices([...BACKEND_NAMES]).default('auto');

/** The train job's config from the command's options (only those given; the engine fills the rest). */
export function trainConfig(o: TrainOpts): TrainConfigInput {
  const c: TrainConfigInput = {};
  if (o.recipe !== undefined) c.recipe = o.recipe;
  if (o.cell !== undefined) c.cell = o.cell;
  if (o.layers !== undefined) c.layers = o.layers;
  if (o.emb !== undefined) c.embeddingDim = o.emb;
  if (o.hidden !== undefined) c.hiddenSize = o.hidden;
  if (o.vocab !== undefined) c.vocabSize = o.vocab;
  if (o.epochs !== undefined) c.epochs = o.epochs;
  if (o.bptt !== undefined) c.bptt = o.bptt;
  if (o.batch !== undefined) c.batchSize = o.batch;
  if (o.maxTokens !== undefined) c.maxTokens = o.maxTokens;
  if (o.seed !== undefined) c.seed = o.seed;
  if (o.dropout !== undefined) c.dropout = o.dropout;
  if (o.embDropout !== undefined) c.embeddingDropout = o.embDropout;
  if (o.forgetBias !== undefined) c.forgetBias = o.forgetBias;
  if (o.optimizer !== undefined) c.optimizer = o.optimizer;
  if (o.lr !== undefined) c.learningRate = o.lr;
  if (o.workers !== undefined) c.workers = o.workers;
  if (o.clip !== undefined) c.clipNorm = o.clip;
  if (o.patience !== undefined) c.patience = o.patience;
  return c;
}

export function trainProgress(io: CommandIO): (p: TrainProgress) => void {
  let lastEpochReported = 0;
  return (p) => {
    const fraction = (p.epoch - 1 + (p.phase === 'valid' ? 1 : p.batch / Math.max(1, p.batchesPerEpoch))) / p.epochs;
    const rate = { perSecond: p.tokensPerSecond, unit: 'tokens' };
    if (p.validPerplexity !== undefined && p.epoch > lastEpochReported) {
      // An epoch's end: a line of its own on a terminal and in a log, whatever the interval.
      lastEpochReported = p.epoch;
      const label = `epoch ${p.epoch}/${p.epochs} done: valid perplexity ${p.validPerplexity.toFixed(2)} (lr ${p.learningRate.toPrecision(3)})`;
      io.milestone({ fraction, label, rate, secondsLeft: p.secondsLeft });
      return;
    }
    const loss = Number.isFinite(p.trainLoss) ? `, ppl ${Math.exp(p.trainLoss).toFixed(1)}` : '';
    io.progress({ fraction, label: `epoch ${p.epoch}/${p.epochs} ${p.phase} ${p.batch}/${p.batchesPerEpoch}${loss}`, rate, secondsLeft: p.secondsLeft });
  };
}

interface ModelImportOpts {
  project: string;
  tfjs?: string;
  pytorch?: string;
  onnx?: string;
  keys?: KeyOverride;
  nonlinearity?: 'tanh' | 'relu';
  vocab: string;
  id: string;
  name?: string;
  backend: BackendPreference;
  json?: boolean;
}

/** --keys emb=NAME,rnn=PREFIX,out=NAME (any of the three, each once; rnn= may be empty: keys without a prefix). */
export function parseKeysOption(value: string): KeyOverride {
  const keys: KeyOverride = {};
  for (const part of value.split(',')) {
    const m = /^(emb|rnn|out)=(.*)$/s.exec(part.trim());
    if (!m) {
      throw new InvalidArgumentError(`--keys takes emb=NAME,rnn=PREFIX,out=NAME (any of them, comma-separated), got '${part}' in '${value}'`);
    }
    const which = m[1] as keyof KeyOverride;
    const name = m[2];
    if (keys[which] !== undefined) throw new InvalidArgumentError(`--keys: ${which}= is given twice in '${value}'`);
    if (name === '' && which !== 'rnn') throw new InvalidArgumentError(`--keys: ${which}= needs a key name, in '${value}'`);
    keys[which] = name;
  }
  return keys;
}

export function registerModel(program: Command): void {
  program
    .command('train')
    .description('train a recurrent (LSTM, GRU, RNN) language model on a corpus of the project (defaults: the paper authors\' LSTM configuration)')
    .requiredOption('--project <dir>', 'the project folder')
    .requiredOption('--corpus <id>', 'the corpus to train on (train split; valid split for perplexity)')
    .requiredOption('--id <id>', 'an id for the new model')
    .option('--name <name>', 'a display name')
    .addOption(
      new Option('--recipe <name>', 'fill every option not given from a published recipe (verwimp2018: the paper authors\' configuration, 39 epochs)').choices([
        ...TrainRecipeNameSchema.options,
      ]),
    )
    .addOption(
      new Option('--cell <cell>', 'the recurrent cell of every layer (default lstm; gru is PyTorch\'s form, reset gate after h·U)').choices([
        ...TrainConfigSchema.shape.cell.unwrap().options,
      ]),
    )
    .option('--layers <n>', 'recurrent layers (default 1)', intOption('layers'))
    .option('--emb <n>', 'embedding size (default 64)', intOption('emb'))
    .option('--hidden <n>', 'units per recurrent layer (default 256)', intOption('hidden'))
    .option('--vocab <n>', 'vocabulary size incl. <unk> and <eos> (default 10000)', intOption('vocab', 3))
    .option('--epochs <n>', 'epochs (default 13)', intOption('epochs'))
    .option('--bptt <n>', 'truncated-BPTT window (default 50)', intOption('bptt'))
    .option('--batch <n>', 'parallel streams (default 20)', intOption('batch'))
    .option('--max-tokens <n>', 'train on the first N training tokens only', intOption('max-tokens'))
    .option('--seed <n>', 'random seed (default 1)', intOption('seed'))
    .option('--dropout <p>', 'dropout on the recurrent layers\' outputs (default 0.5)', floatOption('dropout'))
    .option('--emb-dropout <p>', 'dropout on the embeddings (default 0.5)', floatOption('emb-dropout'))
    .option('--forget-bias <x>', 'initial LSTM forget-gate bias (default 0; Keras unitForgetBias is 1); refused for other cells', floatOption('forget-bias', -20))
    .addOption(new Option('--optimizer <name>', 'optimizer (default sgd)').choices(['sgd', 'adam']))
    .option('--lr <x>', 'learning rate (default 1 for SGD, 0.001 for Adam)', floatOption('lr'))
    .option('--clip <x>', 'gradient-norm clipping, 0 for none (default 5)', floatOption('clip'))
    .option('--patience <n>', 'stop after N epochs without a better validation perplexity', intOption('patience'))
    .option('--workers <n>', 'worker threads, each training on a share of the streams (default: all cores; 1 on the tensorflow backends)', intOption('workers'))
    .addOption(backendOption())
    .option('--json', 'print one JSON object')
    .action(async (opts: TrainOpts) => {
      process.exitCode = await runCommand(opts, async (io) => {
        const result = await withEngine((engine) =>
          runEngineJob(
            engine,
            'train',
            {
              project: path.resolve(opts.project),
              corpus: opts.corpus,
              id: opts.id,
              ...(opts.name !== undefined && { name: opts.name }),
              config: trainConfig(opts),
              backend: opts.backend,
            },
            io,
            // The worker's log lines say what the epoch milestones already say.
            { onProgress: trainProgress(io), onLog: () => {} },
          ),
        );
        const summary =
          `model '${opts.id}': best valid perplexity ${result.bestValidPerplexity?.toFixed(2) ?? 'n/a'} at epoch ${result.bestEpoch}, ` +
          `${result.epochsRun} epochs in ${formatDuration(result.wallSeconds, { precise: true })}, ${Math.round(result.tokensPerSecond)} tokens/s on ${result.backend}${result.workers > 1 ? ` × ${result.workers} workers` : ''}`;
        // Cancelled after an epoch ended: the job is done and kept the best checkpoint so far.
        if (result.cancelled) {
          throw new JobCancelledError(`training cancelled; the best checkpoint so far was kept: ${summary}`, result);
        }
        // model.id and .dir first, then the job's result as it comes (its schema's order).
        const { model: saved, ...rest } = result;
        return { json: { model: { ...saved, ...rest } }, text: `trained ${summary}` };
      });
    });

  const model = program.command('model').description('import and inspect language models');
  model
    .command('import')
    .description('import a TensorFlow.js Layers model, a PyTorch state_dict or an ONNX graph (Embedding → LSTM/GRU/RNN × L → Dense) with its vocabulary')
    .requiredOption('--project <dir>', 'the project folder')
    .option('--tfjs <path>', 'the model.json of a tfjs Layers model (weights files beside it)')
    .option(
      '--pytorch <path>',
      'a state_dict saved with torch.save(model.state_dict(), path) or as .safetensors: Embedding → LSTM/GRU/RNN → Linear',
    )
    .option('--onnx <path>', 'an ONNX graph (e.g. from torch.onnx.export): Gather → LSTM/GRU/RNN nodes → MatMul+Add or Gemm')
    .option('--keys <emb=NAME,rnn=PREFIX,out=NAME>', 'PyTorch: the keys of the embedding and decoder weights and the recurrent module\'s prefix, when they cannot be told apart', parseKeysOption)
    .addOption(new Option('--nonlinearity <name>', 'PyTorch: a vanilla RNN\'s nonlinearity, which a state_dict does not record (default tanh)').choices(['tanh', 'relu']))
    .requiredOption('--vocab <path>', 'vocab.json, or a text file with one word per line (line n = id n)')
    .requiredOption('--id <id>', 'an id for the model in this project')
    .option('--name <name>', 'a display name')
    .addOption(backendOption())
    .option('--json', 'print one JSON object')
    .action(async (opts: ModelImportOpts) => {
      process.exitCode = await runCommand(opts, async (io) => {
        if ([opts.tfjs, opts.pytorch, opts.onnx].filter((f) => f !== undefined).length !== 1) {
          throw new UserError(
            'give exactly one of --tfjs FILE (a TensorFlow.js model.json), --pytorch FILE (a torch.save state_dict) and --onnx FILE (an ONNX graph)',
          );
        }
        if (opts.pytorch === undefined && (opts.keys !== undefined || opts.nonlinearity !== undefined)) {
          throw new UserError('--keys and --nonlinearity apply to a PyTorch model (--pytorch FILE) only');
        }
        const source =
          opts.tfjs !== undefined
            ? { modelJson: path.resolve(opts.tfjs) }
            : opts.onnx !== undefined
              ? { onnx: path.resolve(opts.onnx) }
              : { pytorch: path.resolve(opts.pytorch!), keys: opts.keys, nonlinearity: opts.nonlinearity };
        const result = await withEngine((engine) =>
          runEngineJob(
            engine,
            'import-model',
            {
              project: path.resolve(opts.project),
              id: opts.id,
              ...(opts.name !== undefined && { name: opts.name }),
              ...source,
              vocab: path.resolve(opts.vocab),
              backend: opts.backend,
            },
            io,
          ),
        );
        const a = result.architecture;
        const shape = `V=${a.vocabSize}, E=${a.embeddingDim}, ${a.layers.map((l) => `${CELL_LABELS[l.cell]} ${l.units}`).join(' → ')}`;
        const notes = result.notes.length ? `\nnotes: ${result.notes.join('; ')}` : '';
        return {
          json: { model: { ...result.model, architecture: a, notes: result.notes } },
          text: `imported model '${opts.id}': ${shape}${notes}`,
        };
      });
    });

  model
    .command('show')
    .description('architecture and training history of a model')
    .requiredOption('--project <dir>', 'the project folder')
    .requiredOption('--id <id>', 'the model id')
    .option('--json', 'print one JSON object')
    .action(async (opts: { project: string; id: string; json?: boolean }) => {
      process.exitCode = await runCommand(opts, async () => {
        const { meta } = await withEngine((engine) => engine.api.modelShow({ project: path.resolve(opts.project), id: opts.id }));
        const a = meta.architecture;
        const lines = [
          `model '${opts.id}': V=${a.vocabSize}, E=${a.embeddingDim}, ${a.layers.map((l) => `${CELL_LABELS[l.cell]} ${l.units}${l.cell.startsWith('rnn') ? '' : ` (${l.recurrentActivation} gates)`}`).join(' → ')}`,
        ];
        if (meta.origin.kind === 'trained') {
          const o = meta.origin;
          lines.push(`trained on corpus '${shown(o.corpus.id ?? o.corpus.dir ?? '?')}' (${o.trainTokens} tokens) on ${o.backend.description}`);
          lines.push('  epoch     lr   train ppl   valid ppl   tokens/s');
          for (const e of o.history) {
            lines.push(
              `  ${String(e.epoch).padStart(5)} ${e.learningRate.toFixed(3).padStart(6)} ${e.trainPerplexity.toFixed(2).padStart(11)} ${e.validPerplexity.toFixed(2).padStart(11)} ${Math.round(e.tokensPerSecond).toString().padStart(10)}${e.epoch === o.bestEpoch ? '  ← best' : ''}`,
            );
          }
          if (o.cancelled) lines.push('  (training was cancelled; the best checkpoint was kept)');
        } else {
          lines.push(`imported from ${shown(meta.origin.source.modelJson ?? meta.origin.source.pytorch ?? meta.origin.source.onnx ?? '?')}`);
        }
        return { json: { model: { id: opts.id, ...meta } }, text: lines.join('\n') };
      });
    });

  program
    .command('eval')
    .description('perplexity of a model on a split of a corpus')
    .requiredOption('--project <dir>', 'the project folder')
    .requiredOption('--model <id>', 'the model id')
    .requiredOption('--corpus <id>', 'the corpus id')
    .addOption(new Option('--split <name>', 'the split').choices(['train', 'valid', 'test']).default('test'))
    .option('--batch <n>', 'parallel streams, state carried through each (default 20)', intOption('batch'))
    .option('--bptt <n>', 'window length; does not change the result, only memory use (default 50)', intOption('bptt'))
    .option('--workers <n>', 'worker threads, each evaluating a share of the streams (default: all cores; 1 on the tensorflow backends)', intOption('workers'))
    .addOption(backendOption())
    .option('--json', 'print one JSON object')
    .action(
      async (opts: { project: string; model: string; corpus: string; split: 'train' | 'valid' | 'test'; batch?: number; bptt?: number; workers?: number; backend: BackendPreference; json?: boolean }) => {
        process.exitCode = await runCommand(opts, async (io) => {
          const params = {
            project: path.resolve(opts.project),
            model: opts.model,
            corpus: opts.corpus,
            split: opts.split,
            backend: opts.backend,
            ...(opts.batch !== undefined && { batchSize: opts.batch }),
            ...(opts.bptt !== undefined && { bptt: opts.bptt }),
            ...(opts.workers !== undefined && { workers: opts.workers }),
          };
          const r = await withEngine((engine) =>
            runEngineJob(engine, 'evaluate', params, io, {
              onProgress: (_detail, e) => io.progress({ fraction: e.fraction, label: `evaluating ${opts.split}`, secondsLeft: e.secondsLeft }),
            }),
          );
          return {
            json: { evaluation: r },
            text: `perplexity of '${opts.model}' on ${opts.corpus}/${opts.split}: ${r.perplexity.toFixed(3)} (${r.predicted} predicted tokens, ${r.batchSize} streams; ${r.backend})`,
          };
        });
      },
    );
}
