// A job run through the engine's API (`createEngine().api`), as the app and the WebSocket run
// it: jobStart, then its jobProgress events on the command's progress line until its jobEnd.
// Ctrl-C cancels the job. A failed job's message becomes the command's error, with its kind.
import { CallFailedError } from '../../shared/call-error';
import type { JobKind, JobParamsInput, JobResult } from '../../shared/jobs';
import type { JobEndEvent } from '../../shared/events';
import type { Engine } from '../engine/handlers/create-engine';
import type { CommandIO } from './command-runner';

export async function runEngineJob<K extends JobKind>(engine: Engine, kind: K, params: JobParamsInput<K>, io: CommandIO): Promise<JobResult<K>> {
  let jobId: string | null = null;
  // Events can come before jobStart answers: keep the end of any job until the id is known.
  const ends = new Map<string, JobEndEvent>();
  let settle: ((end: JobEndEvent) => void) | null = null;
  const offProgress = engine.api.onJobProgress((e) => {
    if (e.jobId === jobId) io.progress({ fraction: e.fraction, label: e.label, secondsLeft: e.secondsLeft });
  });
  const offEnd = engine.api.onJobEnd((e) => {
    if (e.jobId === jobId && settle) settle(e);
    else ends.set(e.jobId, e);
  });
  const onAbort = () => {
    if (jobId) void engine.api.jobCancel({ jobId });
  };
  try {
    const started = await engine.api.jobStart({ kind, params } as Parameters<Engine['api']['jobStart']>[0]);
    jobId = started.jobId;
    io.signal.addEventListener('abort', onAbort);
    if (io.signal.aborted) onAbort();
    const end = ends.get(jobId) ?? (await new Promise<JobEndEvent>((resolve) => (settle = resolve)));
    if (end.status === 'done') return end.result as JobResult<K>;
    if (end.status === 'cancelled') throw new CallFailedError({ kind: 'cancelled', message: `the ${kind} job was cancelled` });
    throw new CallFailedError({ kind: end.errorKind, message: end.error });
  } finally {
    io.signal.removeEventListener('abort', onAbort);
    offProgress();
    offEnd();
  }
}
