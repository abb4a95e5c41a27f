// Every task a worker thread can run, by name. Loaded lazily so a worker only
// pays for the code of the task it runs.
import type { TaskFn } from './task-context';

type Loader = () => Promise<TaskFn>;

export const taskRegistry: Record<string, Loader> = {
  train: async () => (await import('../model/train-task')).trainTask as TaskFn,
};

export type TaskName = keyof typeof taskRegistry;
