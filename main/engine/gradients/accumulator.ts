// Running sums of state-gradient Jacobians by delay, in float64.
//
// Inside the sweep every block is stored the way tangents are, [E, H] (row e = the
// Jacobian's column e); `transposeSums` turns a finished set into the public [H, E]
// layout of G.npy. Only SUMS and COUNTS are kept, so partial results of different
// workers and stream chunks merge exactly by addition.
//
// The whole-corpus sum is not stored separately: it is the sum of the K group sums
// (every source is in exactly one group), which saves one float64 pass per tangent.
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
  words: number;
}

export interface GradientSums extends SumsShape {
  /** [groups, D+1, rows, cols] */
  group: Float64Array;
  /** [groups, D+1]: number of (source, step) pairs added */
  groupCount: Float64Array;
  /** [classes, D+1, rows, cols] and [classes, D+1] */
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
    cls: new Float64Array(shape.classes * nd * block),
    clsCount: new Float64Array(shape.classes * nd),
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
    cls: space.f64(shape.classes * nd * block),
    clsCount: new Float64Array(shape.classes * nd),
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
 * class it is a member of and to its word. They are gathered over one block of sources of
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

  constructor(private readonly sums: SumBuffers) {
    this.n = sums.rows * sums.cols;
    this.nd = sums.maxDelay + 1;
  }

  /** Queues one source's tangent (a contiguous rows×cols block of `src` from `srcOff`). */
  add(src: F32Buf, srcOff: number, delay: number, group: number, members: Int32Array, classFrom: number, classTo: number, word: number): void {
    const { sums, nd } = this;
    const ref = { buf: src, off: srcOff };
    const gi = group * nd + delay;
    push(this.group, gi, ref);
    sums.groupCount[gi] += 1;
    for (let j = classFrom; j < classTo; j++) {
      const ci = members[j] * nd + delay;
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
