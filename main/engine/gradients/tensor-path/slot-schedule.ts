// Which source lives in which tangent slot, per stream and step, for the tensor path. The
// device keeps R slots per stream with fixed shapes; the host decides every step which slots
// carry a source on (their previous tangent is kept), which one starts a new source (its
// previous tangent is dropped) and which are empty (zero). A source started at step s lives
// at steps s..s+D. With every position a source R = D + 1 and source s sits in slot s mod R
// (as the kernel path's FIFO ring); with a sample, R is the most sources any stream has
// alive at once, so sparse samples do not pay for D + 1 slots.

export interface SlotStep {
  /** [S·R]: 1 where the slot holds a source of an earlier step that is still alive */
  carry: Float32Array;
  /** [S·R]: 1 where the slot starts this step's source */
  fresh: Float32Array;
  /** flat slots (b·R + r) alive at this step, and their source steps */
  live: number[];
  liveSource: number[];
  /** streams with a source starting at this step */
  freshCount: number;
}

export class SlotSchedule {
  readonly slots: number;
  private readonly src: Int32Array;

  constructor(
    readonly streams: number,
    readonly length: number,
    readonly maxDelay: number,
    private readonly starts: (b: number, t: number) => boolean,
  ) {
    this.slots = maxLive(streams, length, maxDelay, starts);
    this.src = new Int32Array(streams * this.slots).fill(-1);
  }

  /** Advances to step t (called for t = 0, 1, … in order). */
  step(t: number): SlotStep {
    const { streams: S, slots: R, src, maxDelay: D } = this;
    const carry = new Float32Array(S * R);
    const fresh = new Float32Array(S * R);
    const live: number[] = [];
    const liveSource: number[] = [];
    let freshCount = 0;
    for (let b = 0; b < S; b++) {
      let free = -1;
      for (let r = 0; r < R; r++) {
        const i = b * R + r;
        if (src[i] >= 0 && src[i] < t - D) src[i] = -1; // reached delay D last step
        if (src[i] < 0 && free < 0) free = r;
      }
      if (this.starts(b, t)) {
        if (free < 0) throw new Error(`slot schedule: stream ${b} has no free slot at step ${t}`);
        src[b * R + free] = t;
        fresh[b * R + free] = 1;
        freshCount++;
      }
      for (let r = 0; r < R; r++) {
        const i = b * R + r;
        if (src[i] < 0) continue;
        if (src[i] < t) carry[i] = 1;
        live.push(i);
        liveSource.push(src[i]);
      }
    }
    return { carry, fresh, live, liveSource, freshCount };
  }
}

/** The most sources any stream has alive at one step (at least 1). */
export function maxLive(S: number, T: number, D: number, starts: (b: number, t: number) => boolean): number {
  let most = 1;
  for (let b = 0; b < S; b++) {
    let alive = 0;
    const started = new Uint8Array(T);
    for (let t = 0; t < T; t++) {
      if (starts(b, t)) {
        started[t] = 1;
        alive++;
      }
      if (t - D - 1 >= 0 && started[t - D - 1]) alive--;
      if (alive > most) most = alive;
    }
  }
  return Math.min(most, D + 1);
}
