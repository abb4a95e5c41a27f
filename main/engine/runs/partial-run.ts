// A partial run (`analyze --shard I/N`): one shard's exact float64 sums, saved so that
// `mnemoscope merge` can add the shards up into the run the whole sweep would have written.
// run.json is a run record without the summary, with `partial` (shard, options, digests of
// the model and of the whole sweep's tokens); the sums are PARTIAL_ARRAY_FILES.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { GradientSums, StateGradientResult } from '../gradients';
import { UserError } from '../errors';
import { MODEL_FILES } from '../model';
import { readRegularFile } from '../project/safe-open';
import {
  PARTIAL_ARRAY_FILES,
  PARTIAL_RUN_VERSION,
  PartialRunRecordSchema,
  ShardOptionsSchema,
  type PartialArrayName,
  type PartialRunRecord,
} from '../../../shared/schemas/run';
import type { ArrayPart } from './run-arrays';
import { readListedNpy } from './read-run';
import { recordWithoutSummary, type RecordInput } from './run-record';

/** sha256 of the model's weights, topology and vocabulary: a shard and a merge must see the same model. */
export async function modelDigest(modelDir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const name of [MODEL_FILES.modelJson, MODEL_FILES.weights, MODEL_FILES.vocab]) {
    const bytes = await readRegularFile(path.join(modelDir, name));
    hash.update(`${name}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}

/** sha256 of the sweep's tokens (int32 little-endian, [streams, length] row-major). */
export function tokensDigest(tokens: Int32Array): string {
  return createHash('sha256').update(new Uint8Array(tokens.buffer, tokens.byteOffset, tokens.byteLength)).digest('hex');
}

/** The arrays of a partial run: the shard's tokens and its raw sums and counts. */
export function partialArrayParts(acc: StateGradientResult): ArrayPart[] {
  const shard = acc.shard;
  if (!shard) throw new Error('partialArrayParts: the accumulation was not of a shard');
  const s = acc.sums;
  const nd = s.maxDelay + 1;
  const block = [nd, s.rows, s.cols];
  const T = acc.length;
  const parts: ArrayPart[] = [
    {
      file: PARTIAL_ARRAY_FILES.tokens,
      data: acc.tokens.slice(shard.firstStream * T, (shard.firstStream + shard.streams) * T),
      shape: [shard.streams, T],
      description: `int32 [streams, length]: the tokens of this shard's streams ${shard.firstStream}..${shard.firstStream + shard.streams - 1} of the sweep`,
    },
    { file: PARTIAL_ARRAY_FILES.groupSum, data: s.group, shape: [s.groups, ...block], description: 'float64 [groups, delays, H, E]: sums of J per uncertainty group over this shard' },
    { file: PARTIAL_ARRAY_FILES.groupCount, data: s.groupCount, shape: [s.groups, nd], description: 'float64 [groups, delays]: (source, step) pairs per group over this shard' },
  ];
  if (s.classes > 0) {
    parts.push(
      { file: PARTIAL_ARRAY_FILES.classSum, data: s.cls, shape: [s.classes, s.classGroups, ...block], description: 'float64 [classes, groups or 1, delays, H, E]: sums of J per class of the source word' },
      { file: PARTIAL_ARRAY_FILES.classCount, data: s.clsCount, shape: [s.classes, s.classGroups, nd], description: 'float64 [classes, groups or 1, delays]: pairs per class' },
    );
  }
  if (s.words > 0) {
    parts.push(
      { file: PARTIAL_ARRAY_FILES.wordSum, data: s.word, shape: [s.words, ...block], description: 'float64 [words, delays, H, E]: sums of J per chosen source word' },
      { file: PARTIAL_ARRAY_FILES.wordCount, data: s.wordCount, shape: [s.words, nd], description: 'float64 [words, delays]: pairs per chosen word' },
    );
  }
  return parts;
}

export function buildPartialRecord(input: RecordInput & { modelDigest: string }): PartialRunRecord {
  const { params, acc } = input;
  const shard = acc.shard;
  if (!shard) throw new Error('buildPartialRecord: the accumulation was not of a shard');
  const base = recordWithoutSummary(input, { svdSeconds: 0, groupsDropped: [], warnings: acc.warnings });
  const positions = shard.streams * acc.length;
  const record: PartialRunRecord = {
    ...base,
    partial: {
      version: PARTIAL_RUN_VERSION,
      shard: { index: shard.index, count: shard.count },
      firstStream: shard.firstStream,
      streams: shard.streams,
      options: ShardOptionsSchema.parse(params),
      modelDigest: input.modelDigest,
      tokensDigest: tokensDigest(acc.tokens.subarray(0, acc.streams * acc.length)),
      classesPerGroup: acc.classesPerGroup,
      accumulationWarnings: acc.warnings,
    },
    // this shard's streams only (the config keeps the whole sweep's)
    counts: { ...base.counts, streams: shard.streams, positions, sources: acc.sampled ?? positions },
  };
  return PartialRunRecordSchema.parse(record);
}

/** Reads a partial run's sums back, each array checked against the shape run.json lists for it. */
export async function readPartialSums(dir: string, record: PartialRunRecord): Promise<GradientSums> {
  const read = async (name: PartialArrayName): Promise<Float64Array> => {
    const file = path.join(dir, PARTIAL_ARRAY_FILES[name]);
    const listed = record.arrays.find((a) => a.file === PARTIAL_ARRAY_FILES[name]);
    if (!listed) return new Float64Array(0);
    const arr = await readListedNpy(file, listed);
    if (arr.dtype !== '<f8') throw new UserError(`${file}: run '${record.id}' has ${arr.dtype} sums, not float64 (<f8)`);
    return arr.data;
  };
  const group = await read('groupSum');
  const groupShape = record.arrays.find((a) => a.file === PARTIAL_ARRAY_FILES.groupSum)?.shape;
  if (!groupShape) throw new UserError(`run '${record.id}' lists no ${PARTIAL_ARRAY_FILES.groupSum} in its run.json`);
  const [groups, nd, rows, cols] = groupShape;
  const c = record.config;
  return {
    rows,
    cols,
    maxDelay: nd - 1,
    groups,
    classes: c.classes.length,
    classGroups: record.partial.classesPerGroup ? groups : 1,
    words: c.words.length,
    group,
    groupCount: await read('groupCount'),
    cls: await read('classSum'),
    clsCount: await read('classCount'),
    word: await read('wordSum'),
    wordCount: await read('wordCount'),
  };
}
