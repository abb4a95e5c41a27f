// Every failure the UI shows goes through here, so the engine's message (which names the
// file and the problem) reaches the person unchanged.
import { CallFailedError } from '../../../../shared/call-error';

export function messageOf(err: unknown): string {
  if (err instanceof CallFailedError) {
    return err.kind === 'disconnected' ? `Not connected to the engine: ${err.message}` : err.message;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}
