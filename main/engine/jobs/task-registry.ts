// Every task a worker thread can run, by name. Loaded lazily so a worker only
// pays for the code of the task it runs.
import type { TaskFn } from './task-context';

type Loader = () => Promise<TaskFn>;

export const taskRegistry: Record<string, Loader> = {
  'import-corpus': async () => (await import('../corpus/import-task')).importCorpusTask as TaskFn,
  train: async () => (await import('../model/train-task')).trainTask as TaskFn,
  'train-shard': async () => (await import('../model/data-parallel/train-shard-task')).trainShardTask as TaskFn,
  evaluate: async () => (await import('../model/evaluate-task')).evaluateTask as TaskFn,
  'inspect-model': async () => (await import('../model/inspect-model-task')).inspectModelTask as TaskFn,
  'import-model': async () => (await import('../model/import-model-task')).importModelTask as TaskFn,
  gradients: async () => (await import('../gradients/gradients-task')).gradientsTask as TaskFn,
  analyze: async () => (await import('../runs/analyze-run')).analyzeRun as TaskFn,
  'analyze-shard': async () => (await import('../runs/analyze-run')).analyzeShard as TaskFn,
  merge: async () => (await import('../runs/merge-runs')).mergeRuns as TaskFn,
};

export type TaskName = keyof typeof taskRegistry;
