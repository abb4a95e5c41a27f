// The backend probe of `info` (engineInfo) as a worker task, so that where it would load
// native TensorFlow it runs in the process's device worker (jobs/device-route.ts), the
// one thread that may load it. It says which thread answered.
import { threadId } from 'node:worker_threads';
import type { TaskFn } from '../jobs/task-context';
import { selectBackend, type BackendInfo, type BackendPreference } from './backend';

export interface ProbeBackendParams {
  backend: BackendPreference;
}

export interface ProbedBackend {
  info: BackendInfo;
  /** the worker thread that selected the backend (the device worker's, where routed there) */
  threadId: number;
}

export const probeBackendTask: TaskFn<ProbeBackendParams, ProbedBackend> = async ({ backend }) => ({ info: await selectBackend(backend), threadId });
