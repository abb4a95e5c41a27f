// The `evaluate` worker task: perplexity of a saved model on a corpus split (encoded with
// the model's own vocabulary) or on given token ids, its streams shared out over worker
// threads as in training (parallel-perplexity.ts).
import type { EvaluateResult, EvaluateTaskParams } from '../../../shared/schemas/model';
import { EvaluateTaskParamsSchema } from '../../../shared/schemas/model';
import { encodeSplit } from '../corpus/corpus-reader';
import { indexVocabulary } from '../corpus/vocabulary';
import type { TaskFn } from '../jobs/task-context';
import { preferenceFor, selectBackend } from './backend';
import { loadLanguageModel } from './model-files';
import { evaluatePerplexity, type PerplexityOptions } from './perplexity';
import { parallelPerplexity } from './parallel-perplexity';
import { trainingWorkers } from './train-stepper';
import { parseTaskParams } from './task-params';

export interface EvaluateProgress {
  windows: number;
  totalWindows: number;
}

export const evaluateTask: TaskFn<EvaluateTaskParams, EvaluateResult, EvaluateProgress> = async (raw, ctx) => {
  const params = parseTaskParams('evaluate', EvaluateTaskParamsSchema, raw);
  const backend = await selectBackend(params.backend, { fresh: true }); // fresh: the device worker may have run another backend before
  const t0 = performance.now();
  const { model, vocab } = await loadLanguageModel(params.modelDir);
  try {
    const src = params.source;
    const split = src.kind === 'corpus' ? await encodeSplit(src.dir, src.split, indexVocabulary(vocab)) : src.tokens;
    const tokens = src.kind === 'corpus' && src.maxTokens !== null ? split.subarray(0, src.maxTokens) : split;
    const what = src.kind === 'corpus' ? `the ${src.split} split of ${src.dir}` : 'the token stream';
    let last = 0;
    const workers = trainingWorkers(params.workers, backend.name, params.batchSize);
    const opts: PerplexityOptions = {
      batchSize: params.batchSize,
      bptt: params.bptt,
      what,
      onWindow: (done, total) => {
        const now = performance.now();
        if (now - last > 200 || done === total) {
          last = now;
          ctx.progress({ windows: done, totalWindows: total });
        }
        return ctx.cancel.cancelled;
      },
    };
    const r =
      workers > 1
        ? await parallelPerplexity(model, tokens, { ...opts, workers, backend: preferenceFor(backend) })
        : evaluatePerplexity(model, tokens, opts);
    return {
      ...r,
      modelDir: params.modelDir,
      split: src.kind === 'corpus' ? src.split : null,
      backend: backend.description,
      seconds: (performance.now() - t0) / 1000,
      workers,
    };
  } finally {
    model.dispose();
  }
};
