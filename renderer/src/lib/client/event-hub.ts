// Event listeners by event name. A listener that throws is reported and skipped; the
// others still get the event.
import type { EngineEvent } from '../../../../shared/events';
import type { EventName } from '../../../../shared/names';

type Listener = (payload: unknown) => void;

export class EventHub {
  private readonly listeners = new Map<EventName, Set<Listener>>();

  subscribe(name: EventName, listener: Listener): () => void {
    const entry: Listener = (payload) => listener(payload); // one removal per subscription
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  emit(event: EngineEvent): void {
    for (const listener of [...(this.listeners.get(event.name) ?? [])]) {
      try {
        listener(event.payload);
      } catch (err) {
        console.error(`mnemoscope: a ${event.name} listener failed:`, err);
      }
    }
  }

  get size(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }
}
