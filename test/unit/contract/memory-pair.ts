// Two connected in-memory FrameChannels, as VS Code tests its IPC over an in-memory
// protocol pair: frames arrive on a later turn (like a socket) and closing either end
// closes both.
import type { FrameChannel } from '../../../shared/wire';

interface End extends FrameChannel {
  deliver(frame: string): void;
  shut(): void;
}

function makeEnd(peer: () => End): End {
  const frames = new Set<(frame: string) => void>();
  const closes = new Set<() => void>();
  let open = true;
  const end: End = {
    send(frame) {
      if (!open) throw new Error('channel closed');
      const other = peer();
      setImmediate(() => other.deliver(frame));
    },
    onFrame(listener) {
      frames.add(listener);
      return () => frames.delete(listener);
    },
    onClose(listener) {
      closes.add(listener);
      return () => closes.delete(listener);
    },
    isOpen: () => open,
    close() {
      end.shut();
      peer().shut();
    },
    deliver(frame) {
      if (open) for (const l of [...frames]) l(frame);
    },
    shut() {
      if (!open) return;
      open = false;
      setImmediate(() => {
        for (const l of [...closes]) l();
      });
    },
  };
  return end;
}

export interface MemoryPair {
  server: FrameChannel;
  client: FrameChannel;
  /** Listeners still attached on each side (to check that nothing leaks). */
  listenerCounts(): { server: number; client: number };
}

export function createMemoryPair(): MemoryPair {
  const counts = { server: 0, client: 0 };
  const ends: End[] = [];
  ends[0] = makeEnd(() => ends[1]);
  ends[1] = makeEnd(() => ends[0]);
  const counted = (end: End, side: 'server' | 'client'): FrameChannel => ({
    ...end,
    onFrame(listener) {
      counts[side]++;
      const off = end.onFrame(listener);
      let on = true;
      return () => {
        if (on) counts[side]--;
        on = false;
        off();
      };
    },
    onClose(listener) {
      counts[side]++;
      const off = end.onClose(listener);
      let on = true;
      return () => {
        if (on) counts[side]--;
        on = false;
        off();
      };
    },
  });
  return { server: counted(ends[0], 'server'), client: counted(ends[1], 'client'), listenerCounts: () => ({ ...counts }) };
}
