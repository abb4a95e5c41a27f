// Every task a worker thread can run, bound by its ref (each domain's tasks.ts) to its code.
// Loaded lazily, so a worker only pays for the code of the task it runs. This module sits
// above the domains it loads, beside the worker's entry: nothing below imports it, so the
// lazy imports run downward only. `bindAll` makes the compiler ask for one loader per ref
// of a domain, with the ref's params, result and progress types.
import { ablationTasks } from '../ablation/tasks';
import { corpusTasks } from '../corpus/tasks';
import { gradientsTasks } from '../gradients/tasks';
import type { TaskFn, TaskRef } from '../jobs/task-context';
import { modelTasks } from '../model/tasks';
import { runTasks } from '../runs/tasks';

type Types<R> = R extends TaskRef<infer P, infer Res, infer G> ? TaskFn<P, Res, G> : never;
type Loaders<Refs> = { [K in keyof Refs]: () => Promise<Types<Refs[K]>> };
type AnyTask = TaskFn<never, unknown, never>;

function bindAll<Refs extends Record<string, TaskRef<unknown, unknown, unknown>>>(refs: Refs, loaders: Loaders<Refs>): [string, () => Promise<AnyTask>][] {
  return Object.keys(refs).map((k) => [refs[k].name, loaders[k] as () => Promise<AnyTask>]);
}

const registry = new Map<string, () => Promise<AnyTask>>([
  ...bindAll(corpusTasks, {
    importCorpus: async () => (await import('../corpus/import-task')).importCorpusTask,
  }),
  ...bindAll(modelTasks, {
    train: async () => (await import('../model/train-task')).trainTask,
    trainShard: async () => (await import('../model/data-parallel/train-shard-task')).trainShardTask,
    evaluate: async () => (await import('../model/evaluate-task')).evaluateTask,
    inspectModel: async () => (await import('../model/inspect-model-task')).inspectModelTask,
    importModel: async () => (await import('../model/import-model-task')).importModelTask,
    probeBackend: async () => (await import('../model/probe-backend-task')).probeBackendTask,
  }),
  ...bindAll(gradientsTasks, {
    gradients: async () => (await import('../gradients/gradients-task')).gradientsTask,
    tensorSweep: async () => (await import('../gradients/tensor-path/tensor-task')).tensorTask,
  }),
  ...bindAll(runTasks, {
    sweep: async () => (await import('../runs/sweep-task')).sweepTask,
    shardSweep: async () => (await import('../runs/sweep-task')).shardSweepTask,
    merge: async () => (await import('../runs/merge-runs')).mergeTask,
  }),
  ...bindAll(ablationTasks, {
    ablate: async () => (await import('../ablation/ablate-run')).ablateRun,
    ablateShare: async () => (await import('../ablation/share-task')).ablateShare,
  }),
]);

/** The code of the task named `name` (a TaskRef's name); throws for a name no domain registered. */
export async function loadTask(name: string): Promise<TaskFn> {
  const load = registry.get(name);
  if (!load) throw new Error(`unknown task '${name}'`);
  return (await load()) as TaskFn;
}
