// The accumulators of the tensor path on the device, and their way back into the float64
// sums (accumulator.ts) the kernel path fills. Every step adds the target tangents of all
// live sources into (group, delay), (class[, group], delay) and (word, delay) blocks with
// one scatter-add each (tf.scatterND sums rows that share an index; an extra "dump" row
// takes the empty slots and is dropped).
//
// Groups are time windows of the source step (stream-layout.ts), so only a few groups have
// live sources at any step: the device keeps W group slots (group k in slot k mod W), and when
// group k's last source has reached delay D its slot is read back, added into the float64
// sums and cleared. Those read-backs are the checkpoints; float32 sums on the device never
// cover more than one group window of one chunk. Words (and classes kept per class only)
// are read back at the end of the chunk.
import * as tf from '@tensorflow/tfjs';
import type { GradientSums, SumsShape } from '../accumulator';
import type { TokenIndex } from '../class-index';
import { groupOf } from '../stream-layout';

export interface DeviceSumsShape {
  /** E·H: one block */
  block: number;
  maxDelay: number;
  groups: number;
  classes: number;
  /** 1 or `groups` (accumulator.ts) */
  classGroups: number;
  words: number;
  /** chunk length T (groups are windows of it) */
  length: number;
}

/** The device's shape of a set of sums ([E, H] blocks) for chunks of `length` steps. */
export function deviceSumsShape(s: SumsShape, length: number): DeviceSumsShape {
  return { block: s.rows * s.cols, maxDelay: s.maxDelay, groups: s.groups, classes: s.classes, classGroups: s.classGroups, words: s.words, length };
}

/** Group slots the device needs: the widest span of group ids among sources alive at one step. */
export function groupWindow(T: number, D: number, K: number): number {
  let w = 1;
  for (let t = 0; t < T; t++) w = Math.max(w, groupOf(t, T, K) - groupOf(Math.max(0, t - D), T, K) + 1);
  return w;
}

/** The last step at which a source of group k is alive (its sums are complete after it), or -1 for an empty group. */
function lastStepOf(k: number, T: number, D: number, K: number): number {
  let last = -1;
  for (let t = 0; t < T; t++) if (groupOf(t, T, K) === k) last = t;
  return last < 0 ? -1 : Math.min(T - 1, last + D);
}

export class DeviceSums {
  readonly window: number;
  private readonly nd: number;
  private group: tf.Tensor2D;
  private cls: tf.Tensor2D | null;
  private word: tf.Tensor2D | null;
  private readonly perGroup: boolean;
  private readonly lastStep: number[];
  /** seconds spent in read-backs (they wait for the device) */
  readBackSeconds = 0;

  constructor(
    private readonly shape: DeviceSumsShape,
    private readonly index: TokenIndex,
    private readonly host: GradientSums,
  ) {
    const { block, maxDelay, groups: K, classes, words, length: T } = shape;
    this.nd = maxDelay + 1;
    this.window = groupWindow(T, maxDelay, K);
    this.perGroup = shape.classGroups !== 1;
    if (this.perGroup && shape.classGroups !== K) throw new Error('classGroups must be 1 or the number of groups');
    this.group = tf.zeros([this.window * this.nd, block]);
    this.cls = classes > 0 ? tf.zeros([classes * (this.perGroup ? this.window : 1) * this.nd, block]) : null;
    this.word = words > 0 ? tf.zeros([words * this.nd, block]) : null;
    this.lastStep = Array.from({ length: K }, (_, k) => lastStepOf(k, T, maxDelay, K));
  }

  /** Bytes the accumulators take on the device. */
  static bytes(s: DeviceSumsShape): number {
    const w = groupWindow(s.length, s.maxDelay, s.groups);
    const nd = s.maxDelay + 1;
    return (w + s.classes * (s.classGroups === 1 ? 1 : w) + s.words + 1) * nd * s.block * 4;
  }

  /**
   * Adds the tangents y ([slots, E·H], row = flat slot) of the live slots at step t: `live`
   * are their rows, `source` their source steps, `token` their source tokens. Counts go to the host sums.
   */
  add(t: number, y: tf.Tensor2D, live: number[], source: number[], token: number[]): void {
    const { nd, window: W, host } = this;
    const { groups: K, length: T } = this.shape;
    const rows = y.shape[0];
    const { offsets, members, word } = this.index;
    const gIds = new Int32Array(rows).fill(W * nd);
    const cRows: number[] = [];
    const cIds: number[] = [];
    const wRows: number[] = [];
    const wIds: number[] = [];
    const cw = this.perGroup ? W : 1;
    const cg = this.shape.classGroups;
    for (let j = 0; j < live.length; j++) {
      const delay = t - source[j];
      const g = groupOf(source[j], T, K);
      gIds[live[j]] = (g % W) * nd + delay;
      host.groupCount[g * nd + delay] += 1;
      const tok = token[j];
      for (let m = offsets[tok]; m < offsets[tok + 1]; m++) {
        const c = members[m];
        cRows.push(live[j]);
        cIds.push((c * cw + (this.perGroup ? g % W : 0)) * nd + delay);
        host.clsCount[(c * cg + (this.perGroup ? g : 0)) * nd + delay] += 1;
      }
      const wi = word[tok];
      if (wi >= 0) {
        wRows.push(live[j]);
        wIds.push(wi * nd + delay);
        host.wordCount[wi * nd + delay] += 1;
      }
    }
    this.group = addInto(this.group, y, null, gIds, true);
    if (this.cls && cRows.length) this.cls = addInto(this.cls, y, cRows, Int32Array.from(cIds), false);
    if (this.word && wRows.length) this.word = addInto(this.word, y, wRows, Int32Array.from(wIds), false);
  }

  /** After step t: reads back (and clears) the groups whose sums are complete; at the last step also words and classes. */
  checkpoint(t: number): void {
    const last = t === this.shape.length - 1;
    for (let k = 0; k < this.shape.groups; k++) if (this.lastStep[k] === t) this.readGroup(k);
    if (!last) return;
    const { host } = this;
    const started = performance.now();
    if (this.word) addHost(host.word, 0, this.word.dataSync());
    if (this.cls && !this.perGroup) addHost(host.cls, 0, this.cls.dataSync());
    this.readBackSeconds += (performance.now() - started) / 1000;
  }

  private readGroup(k: number): void {
    const { nd, window: W, host } = this;
    const { block, classes, classGroups: cg } = this.shape;
    const slot = k % W;
    const started = performance.now();
    const g = this.group.slice([slot * nd, 0], [nd, block]);
    addHost(host.group, k * nd * block, g.dataSync());
    g.dispose();
    this.group = clearSlot(this.group, 1, W, slot);
    if (this.cls && this.perGroup) {
      const all = tf.tidy(() => (this.cls as tf.Tensor2D).reshape([classes, W, nd * block]).slice([0, slot, 0], [classes, 1, nd * block]));
      const v = all.dataSync();
      all.dispose();
      const n = nd * block;
      for (let c = 0; c < classes; c++) addHost(host.cls, (c * cg + k) * n, v.subarray(c * n, (c + 1) * n));
      this.cls = clearSlot(this.cls, classes, W, slot);
    }
    this.readBackSeconds += (performance.now() - started) / 1000;
  }

  dispose(): void {
    this.group.dispose();
    this.cls?.dispose();
    this.word?.dispose();
  }
}

/** acc + the rows of y (all rows, or those listed) scattered by id; with `dump` the last id drops its rows. */
function addInto(acc: tf.Tensor2D, y: tf.Tensor2D, rows: number[] | null, ids: Int32Array, dump: boolean): tf.Tensor2D {
  const next = tf.tidy(() => {
    const [n, block] = acc.shape;
    const src = rows ? tf.gather(y, tf.tensor1d(Int32Array.from(rows), 'int32')) : y;
    const scattered = tf.scatterND(tf.tensor2d(ids, [ids.length, 1], 'int32'), src, [dump ? n + 1 : n, block]);
    return acc.add(dump ? scattered.slice([0, 0], [n, block]) : scattered) as tf.Tensor2D;
  });
  acc.dispose();
  return next;
}

/** acc viewed as [outer, W, rest] with slot `slot` of the middle axis zeroed. */
function clearSlot(acc: tf.Tensor2D, outer: number, W: number, slot: number): tf.Tensor2D {
  const keep = new Float32Array(W).fill(1);
  keep[slot] = 0;
  const next = tf.tidy(() => {
    const [rows, block] = acc.shape;
    return acc.reshape([outer, W, (rows / outer / W) * block]).mul(tf.tensor3d(keep, [1, W, 1])).reshape([rows, block]) as tf.Tensor2D;
  });
  acc.dispose();
  return next;
}

function addHost(into: Float64Array, off: number, v: Float32Array | ArrayLike<number>): void {
  for (let i = 0; i < v.length; i++) into[off + i] += v[i];
}
