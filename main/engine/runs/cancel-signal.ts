// A task learns about cancel by polling ctx.isCancelled(); the accumulation and the
// project store want an AbortSignal. This bridges the two while the job awaits.
import type { TaskContext } from '../jobs/task-context';

export function signalFromContext(ctx: Pick<TaskContext, 'isCancelled'>, everyMs = 50): { signal: AbortSignal; stop: () => void } {
  const controller = new AbortController();
  const check = () => {
    if (ctx.isCancelled()) controller.abort();
  };
  check();
  const timer = setInterval(check, everyMs);
  // The poller must not keep a finished worker or test process alive.
  timer.unref();
  return { signal: controller.signal, stop: () => clearInterval(timer) };
}
