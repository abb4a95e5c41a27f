// Running sums of state-gradient Jacobians by delay, in float64.
//
// Inside the sweep every block is stored the way tangents are, [E, H] (row e = the
// Jacobian's column e); `transposeSums` turns a finished set into the public [H, E]
// layout of G.npy. Only SUMS and COUNTS are kept, so partial results of different
// workers and stream chunks merge exactly by addition.
//
// The whole-corpus sum is not stored separately: it is the sum of the K group sums
// (every source is in exactly one group), which saves one float64 pass per tangent.
// Class sums are kept the same way when `classGroups` is K: one accumulator per (class,
// group), the class total being the sum of its K group sums (classTotals), so the class
// spectra get standard errors over the groups like the whole-corpus ones. That costs K×
// the class memory and no extra addition per source; with `classGroups` = 1 there is one
// accumulator per class (the fallback when K× would not fit, see parallel-driver.ts).
import type { BufferSpace, F32Buf, F64Buf } from './buffers';
import type { TangentKernels, TangentRef } from './tangent-step';

export interface SumsShape {
  /** rows of one block: E while sweeping, H after transposeSums */
  rows: number;
  /** columns of one block: H while sweeping, E after transposeSums */
  cols: number;
  maxDelay: number;
  groups: number;
  classes: number;
  /** accumulators per class: `groups` (one per class and group) or 1 (per class only) */
  classGroups: number;
  words: number;
}

export interface GradientSums extends SumsShape {
  /** [groups, D+1, rows, cols] */
  group: Float64Array;
  /** [groups, D+1]: number of (source, step) pairs added */
  groupCount: Float64Array;
  /** [classes, classGroups, D+1, rows, cols] and [classes, classGroups, D+1] */
  cls: Float64Array;
  clsCount: Float64Array;
  /** [words, D+1, rows, cols] and [words, D+1] */
  word: Float64Array;
  wordCount: Float64Array;
}

export function createSums(shape: SumsShape): GradientSums {
  const block = shape.rows * shape.cols;
  const nd = shape.maxDelay + 1;
  return {
    ...shape,
    group: new Float64Array(shape.groups * nd * block),
    groupCount: new Float64Array(shape.groups * nd),
    cls: new Float64Array(shape.classes * shape.classGroups * nd * block),
    clsCount: new Float64Array(shape.classes * shape.classGroups * nd),
    word: new Float64Array(shape.words * nd * block),
    wordCount: new Float64Array(shape.words * nd),
  };
}

/** Sums while sweeping: the blocks live in the engine's buffer space (wasm heap or JS). */
export interface SumBuffers extends SumsShape {
  group: F64Buf;
  groupCount: Float64Array;
  cls: F64Buf;
  clsCount: Float64Array;
  word: F64Buf;
  wordCount: Float64Array;
}

export function createSumBuffers(space: BufferSpace, shape: SumsShape): SumBuffers {
  const block = shape.rows * shape.cols;
  const nd = shape.maxDelay + 1;
  return {
    ...shape,
    group: space.f64(shape.groups * nd * block),
    groupCount: new Float64Array(shape.groups * nd),
    cls: space.f64(shape.classes * shape.classGroups * nd * block),
    clsCount: new Float64Array(shape.classes * shape.classGroups * nd),
    word: space.f64(shape.words * nd * block),
    wordCount: new Float64Array(shape.words * nd),
  };
}

/** Copies the sums out of their buffers (and frees them). */
export function exportSums(space: BufferSpace, b: SumBuffers): GradientSums {
  const copy = (buf: F64Buf) => {
    const out = buf.array().slice(buf.base, buf.base + buf.length);
    space.free(buf);
    return out;
  };
  const { group, cls, word, groupCount, clsCount, wordCount, ...shape } = b;
  return { ...shape, group: copy(group), cls: copy(cls), word: copy(word), groupCount, clsCount, wordCount };
}

/**
 * Additions waiting to be made: a source's tangent at some delay goes to its group, to every
 * class it is a member of (that class's accumulator of the source's group when classes are
 * kept per group) and to its word. They are gathered over one block of sources of
 * every stream and then made one accumulator at a time (flush), so an accumulator that many
 * streams add into is read and written once, not once per stream. The counts are updated
 * at once. A tangent's memory must stay as it is until the flush.
 */
export class PendingSums {
  private readonly group = new Map<number, TangentRef[]>();
  private readonly cls = new Map<number, TangentRef[]>();
  private readonly word = new Map<number, TangentRef[]>();
  private readonly n: number;
  private readonly nd: number;
  private readonly perGroup: boolean;

  constructor(private readonly sums: SumBuffers) {
    this.n = sums.rows * sums.cols;
    this.nd = sums.maxDelay + 1;
    if (sums.classGroups !== 1 && sums.classGroups !== sums.groups) throw new Error('classGroups must be 1 or the number of groups');
    this.perGroup = sums.classGroups !== 1;
  }

  /** Queues one source's tangent (a contiguous rows×cols block of `src` from `srcOff`). */
  add(src: F32Buf, srcOff: number, delay: number, group: number, members: Int32Array, classFrom: number, classTo: number, word: number): void {
    const { sums, nd } = this;
    const ref = { buf: src, off: srcOff };
    const gi = group * nd + delay;
    push(this.group, gi, ref);
    sums.groupCount[gi] += 1;
    const cg = sums.classGroups;
    const cgOff = this.perGroup ? group : 0;
    for (let j = classFrom; j < classTo; j++) {
      const ci = (members[j] * cg + cgOff) * nd + delay;
      push(this.cls, ci, ref);
      sums.clsCount[ci] += 1;
    }
    if (word >= 0) {
      const wi = word * nd + delay;
      push(this.word, wi, ref);
      sums.wordCount[wi] += 1;
    }
  }

  /** Makes every queued addition, each accumulator in one pass, sources in the order queued. */
  flush(kernels: TangentKernels): void {
    const { sums, n } = this;
    for (const [map, acc] of [
      [this.group, sums.group],
      [this.cls, sums.cls],
      [this.word, sums.word],
    ] as const) {
      for (const [index, refs] of map) kernels.accumulateMany(acc, index * n, refs, n);
      map.clear();
    }
  }
}

function push(map: Map<number, TangentRef[]>, key: number, ref: TangentRef): void {
  const list = map.get(key);
  if (list) list.push(ref);
  else map.set(key, [ref]);
}

function sameShape(a: SumsShape, b: SumsShape): boolean {
  return (
    a.rows === b.rows &&
    a.cols === b.cols &&
    a.maxDelay === b.maxDelay &&
    a.groups === b.groups &&
    a.classes === b.classes &&
    a.classGroups === b.classGroups &&
    a.words === b.words
  );
}

/** into += from, elementwise (exact merge of partial sums). */
export function mergeSums(into: GradientSums, from: GradientSums): void {
  if (!sameShape(into, from)) throw new Error('cannot merge gradient sums of different shapes');
  const pairs: [Float64Array, Float64Array][] = [
    [into.group, from.group],
    [into.groupCount, from.groupCount],
    [into.cls, from.cls],
    [into.clsCount, from.clsCount],
    [into.word, from.word],
    [into.wordCount, from.wordCount],
  ];
  for (const [a, b] of pairs) for (let i = 0; i < a.length; i++) a[i] += b[i];
}

/** Transposes every rows×cols block to cols×rows. */
export function transposeSums(s: GradientSums): GradientSums {
  const t = (src: Float64Array): Float64Array => {
    const { rows, cols } = s;
    const n = rows * cols;
    const out = new Float64Array(src.length);
    for (let base = 0; base < src.length; base += n) {
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[base + c * rows + r] = src[base + r * cols + c];
    }
    return out;
  };
  return {
    ...s,
    rows: s.cols,
    cols: s.rows,
    group: t(s.group),
    cls: t(s.cls),
    word: t(s.word),
  };
}

/** Sum over groups: the whole-corpus sums [D+1, rows, cols] and counts [D+1]. */
export function totalOverGroups(s: GradientSums): { sum: Float64Array; count: Float64Array } {
  const nd = s.maxDelay + 1;
  const block = nd * s.rows * s.cols;
  const sum = new Float64Array(block);
  const count = new Float64Array(nd);
  for (let g = 0; g < s.groups; g++) {
    for (let i = 0; i < block; i++) sum[i] += s.group[g * block + i];
    for (let d = 0; d < nd; d++) count[d] += s.groupCount[g * nd + d];
  }
  return { sum, count };
}

/**
 * Per-class totals [classes, D+1, rows, cols] and counts [classes, D+1]. With one accumulator
 * per class these are the accumulators themselves (not copies); with one per (class, group)
 * each class's K group sums are added in group order (a fixed order: the result does not
 * depend on workers or chunks).
 */
export function classTotals(s: GradientSums): { sum: Float64Array; count: Float64Array } {
  const nd = s.maxDelay + 1;
  const block = nd * s.rows * s.cols;
  const cg = s.classGroups;
  if (cg === 1) return { sum: s.cls, count: s.clsCount };
  const sum = new Float64Array(s.classes * block);
  const count = new Float64Array(s.classes * nd);
  for (let c = 0; c < s.classes; c++) {
    const out = sum.subarray(c * block, (c + 1) * block);
    for (let g = 0; g < cg; g++) {
      const from = (c * cg + g) * block;
      for (let i = 0; i < block; i++) out[i] += s.cls[from + i];
      for (let d = 0; d < nd; d++) count[c * nd + d] += s.clsCount[(c * cg + g) * nd + d];
    }
  }
  return { sum, count };
}
