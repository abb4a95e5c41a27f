// Shared by the fuzz tests of the reliability suite (issue 10): inputs made from a valid
// file by the mutations that break parsers (truncation, byte flips, inserted bytes, BOM,
// CRLF, invalid UTF-8, deleted fields, wrong types, NaN / Infinity / huge numbers, deep
// nesting, wrong schemaVersion), a hash snapshot of a project folder to check that a call
// left it as it was, the check of an outcome ("a valid result, or a user error naming the
// file; never an internal error"), and the count of inputs fuzzed per parser.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';
import { CallFailedError } from '../../shared/call-error';
import type { JobEndEvent } from '../../shared/events';

// ---- outcomes ----

export type Outcome<T = unknown> = { ok: true; value: T } | { ok: false; kind: string; message: string };

/** The outcome of a typed API call: its result, or the {kind, message} it failed with. */
export async function outcomeOf<T>(call: Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await call };
  } catch (err) {
    if (err instanceof CallFailedError) return { ok: false, kind: err.kind, message: err.message };
    // Not a reply of the engine's dispatcher: the call itself broke (a thrown exception).
    return { ok: false, kind: 'thrown', message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
}

/** The outcome of a finished job. */
export function outcomeOfJob(end: JobEndEvent): Outcome {
  if (end.status === 'done') return { ok: true, value: end.result };
  if (end.status === 'failed') return { ok: false, kind: end.errorKind, message: end.error };
  return { ok: false, kind: 'cancelled', message: 'cancelled' };
}

/**
 * Fails unless the outcome is a success or a user error whose message names one of `files`
 * (by path, or by file name when `byName`). `what` describes the input for the failure message.
 */
export function expectUserErrorOrOk(outcome: Outcome, files: string[], what: string): void {
  if (current !== null) {
    const tally = outcomes.get(current) ?? { accepted: 0, refused: 0 };
    tally[outcome.ok ? 'accepted' : 'refused'] += 1;
    outcomes.set(current, tally);
  }
  if (outcome.ok) return;
  expect(outcome.kind, `${what}: expected a user error, got ${outcome.kind}: ${outcome.message}`).toBe('user');
  const named = files.some((f) => outcome.message.includes(f) || outcome.message.includes(path.basename(f)));
  expect(named, `${what}: the user error does not name ${files.join(' or ')}: ${outcome.message}`).toBe(true);
  expect(outcome.message, `${what}: a one-line message`).not.toMatch(/\n/);
}

// ---- the project folder, byte for byte ----

/** Every entry under `dir`: relative path → kind and, for files, the SHA-256 of the contents. */
export async function treeSnapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (rel: string) => {
    const full = path.join(dir, rel);
    const st = await fs.lstat(full);
    if (st.isDirectory()) {
      out.set(rel || '.', 'dir');
      for (const name of (await fs.readdir(full)).sort()) await walk(path.join(rel, name));
    } else if (st.isSymbolicLink()) {
      out.set(rel, `link ${await fs.readlink(full)}`);
    } else if (st.isFile()) {
      out.set(rel, `file ${createHash('sha256').update(await fs.readFile(full)).digest('hex')}`);
    } else {
      out.set(rel, 'other');
    }
  };
  await walk('');
  return out;
}

/** Paths added, removed or changed between two snapshots ('+a', '-b', '~c'). */
export function snapshotDiff(before: Map<string, string>, after: Map<string, string>): string[] {
  const diff: string[] = [];
  for (const [p, v] of before) {
    if (!after.has(p)) diff.push(`-${p}`);
    else if (after.get(p) !== v) diff.push(`~${p}`);
  }
  for (const p of after.keys()) if (!before.has(p)) diff.push(`+${p}`);
  return diff.sort();
}

export async function expectUnchanged(dir: string, before: Map<string, string>, what: string): Promise<void> {
  expect(snapshotDiff(before, await treeSnapshot(dir)), `${what}: the project changed`).toEqual([]);
}

// ---- counts, printed for the CI log ----

const counts = new Map<string, number>();
/** Calls checked per parser that gave a result (accepted) or a user error (refused). */
const outcomes = new Map<string, { accepted: number; refused: number }>();
let current: string | null = null;

/** Counts one input of `parser`; the outcomes checked until the next input are counted as its. */
export function countInput(parser: string): void {
  counts.set(parser, (counts.get(parser) ?? 0) + 1);
  current = parser;
}

/** One line per parser: "fuzz <suite>: <parser>: <n> inputs (calls: a accepted, r refused)". Call from afterAll. */
export function printCounts(suite: string): void {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const lines = [...counts.entries()].map(([p, n]) => {
    const o = outcomes.get(p);
    return `fuzz ${suite}: ${p}: ${n} inputs${o ? ` (calls: ${o.accepted} accepted, ${o.refused} refused with a user error)` : ''}`;
  });
  console.log([...lines, `fuzz ${suite}: total ${total} inputs`].join('\n'));
}

// ---- mutations ----

/** A fuzzed input: its bytes and a short description of how it was made (for failures). */
export interface Mutant {
  how: string;
  bytes: Buffer;
}

/** Shown in a failure as its description and size, not as thousands of bytes (the seed and path reproduce it). */
const printable = (m: Mutant): Mutant =>
  Object.assign({}, m, { [fc.toStringMethod]: () => `${m.how} (${m.bytes.length} bytes: ${JSON.stringify(m.bytes.subarray(0, 80).toString('latin1'))}…)` });

const BAD_UTF8 = [Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0xe2, 0x82]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xc0, 0xaf])];
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const SPECIAL_BYTES = [0x00, 0x0a, 0x0d, 0x09, 0x20, 0x1b, 0x22, 0x5b, 0x7b, 0x2c, 0x23, 0x2f, 0x7f, 0xff];

const toCrlf = (b: Buffer) => Buffer.from(b.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');

function splitLines(b: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (;;) {
    const nl = b.indexOf(0x0a, start);
    if (nl < 0) break;
    lines.push(b.subarray(start, nl + 1));
    start = nl + 1;
  }
  if (start < b.length) lines.push(b.subarray(start));
  return lines;
}

/** Byte-level mutations of `valid` (any file format), and arbitrary bytes and strings. */
export function byteMutants(valid: Buffer): fc.Arbitrary<Mutant> {
  const n = valid.length;
  const at = fc.nat({ max: Math.max(0, n) });
  return fc.oneof(
    fc.uint8Array({ maxLength: 600 }).map((a) => ({ how: 'random bytes', bytes: Buffer.from(a) })),
    fc.string({ unit: 'binary', maxLength: 300 }).map((s) => ({ how: 'random text', bytes: Buffer.from(s, 'utf8') })),
    at.map((k) => ({ how: `truncated at ${k}`, bytes: valid.subarray(0, k) })),
    fc
      .array(fc.tuple(fc.nat({ max: Math.max(0, n - 1) }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 })
      .map((flips) => {
        const b = Buffer.from(valid);
        if (b.length > 0) for (const [i, v] of flips) b[i] = v;
        return { how: `bytes set ${JSON.stringify(flips)}`, bytes: b };
      }),
    fc.tuple(at, fc.constantFrom(...SPECIAL_BYTES)).map(([k, v]) => ({
      how: `byte 0x${v.toString(16)} inserted at ${k}`,
      bytes: Buffer.concat([valid.subarray(0, k), Buffer.from([v]), valid.subarray(k)]),
    })),
    fc.tuple(at, fc.constantFrom(...BAD_UTF8)).map(([k, bad]) => ({
      how: `invalid UTF-8 ${bad.toString('hex')} at ${k}`,
      bytes: Buffer.concat([valid.subarray(0, k), bad, valid.subarray(k)]),
    })),
    fc.constant({ how: 'BOM', bytes: Buffer.concat([BOM, valid]) }),
    fc.constant({ how: 'CRLF', bytes: toCrlf(valid) }),
    fc.constant({ how: 'BOM and CRLF', bytes: Buffer.concat([BOM, toCrlf(valid)]) }),
    fc.constant({ how: 'empty', bytes: Buffer.alloc(0) }),
    fc.constant({ how: 'no final newline', bytes: valid.subarray(0, valid.at(-1) === 0x0a ? n - 1 : n) }),
    fc.tuple(fc.nat(), fc.constantFrom('drop', 'dup', 'swap', 'blank')).map(([k, op]) => {
      const lines = splitLines(valid);
      if (lines.length === 0) return { how: `line ${op} (no lines)`, bytes: valid };
      const i = k % lines.length;
      const j = (i + 1) % lines.length;
      const out = [...lines];
      if (op === 'drop') out.splice(i, 1);
      else if (op === 'dup') out.splice(i, 0, lines[i]);
      else if (op === 'swap') [out[i], out[j]] = [out[j], out[i]];
      else out.splice(i, 0, Buffer.from('\n'));
      return { how: `line ${i + 1} ${op}`, bytes: Buffer.concat(out) };
    }),
    fc.tuple(at, fc.integer({ min: 1, max: 64 })).map(([k, len]) => ({
      how: `${len} bytes cut at ${k}`,
      bytes: Buffer.concat([valid.subarray(0, k), valid.subarray(k + len)]),
    })),
  ).map(printable);
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonPath = (string | number)[];

/** Paths of every value in `v` (the root included), objects' keys and arrays' indexes. */
function jsonPaths(v: Json, here: JsonPath = [], out: JsonPath[] = []): JsonPath[] {
  out.push(here);
  if (Array.isArray(v)) v.slice(0, 20).forEach((x, i) => jsonPaths(x, [...here, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) jsonPaths(x, [...here, k], out);
  return out;
}

const RAW = '@@fuzz-raw-value@@';

/** JSON texts that are not values (NaN, Infinity) or that stress a parser (depth, size, precision). */
const RAW_VALUES: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'null', 'true', 'false', '0', '-1', '-0', '0.5', '1.5', '3', '2', '999', '1e308', '-1e308', '1e999', '-1e999', '5e-324',
    '9007199254740993', '123456789012345678901234567890', 'NaN', 'Infinity', '-Infinity', 'undefined',
    '""', '" "', '"x"', '"1"', '"__proto__"', '"\\u0000"', '"\\u001b[31mred"', '"a\\nb"', '"../../etc"',
    '[]', '{}', '[null]', '{"__proto__": {"x": 1}}', '[1, 2, 3]',
  ),
  fc.constantFrom(10, 1000, 20_000).map((d) => '['.repeat(d) + ']'.repeat(d)),
  fc.constantFrom(10, 1000, 20_000).map((d) => '{"a":'.repeat(d) + '1' + '}'.repeat(d)),
  fc.constantFrom(10, 20_000).map((d) => '['.repeat(d)),
  fc.constantFrom(1 << 10, 1 << 20).map((k) => JSON.stringify('w'.repeat(k))),
  fc.constantFrom(1000, 100_000).map((k) => `[${Array.from({ length: k }, (_, i) => i % 7).join(',')}]`),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
);

function setAt(root: Json, p: JsonPath, value: Json | typeof DELETE): Json {
  if (p.length === 0) return value === DELETE ? null : value;
  const copy = structuredClone(root) as Json;
  let node = copy as Record<string | number, Json>;
  for (const k of p.slice(0, -1)) node = node[k] as Record<string | number, Json>;
  const last = p[p.length - 1];
  if (value === DELETE) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else node[last] = value;
  return copy;
}
const DELETE = Symbol('delete');

/** Field-level mutations of a valid JSON document: deleted fields, wrong types, odd numbers, deep nesting, schemaVersion. */
export function jsonMutants(valid: unknown): fc.Arbitrary<Mutant> {
  const doc = valid as Json;
  const paths = jsonPaths(doc);
  const pathArb = fc.nat({ max: paths.length - 1 }).map((i) => paths[i]);
  const text = (v: Json, pretty: boolean) => JSON.stringify(v, null, pretty ? 2 : undefined);
  const replaced = fc.tuple(pathArb, RAW_VALUES, fc.boolean()).map(([p, raw, pretty]) => ({
    how: `${JSON.stringify(p)} = ${raw.length > 40 ? `${raw.slice(0, 40)}… (${raw.length} chars)` : raw}`,
    bytes: Buffer.from(text(setAt(doc, p, RAW), pretty).replace(JSON.stringify(RAW), () => raw), 'utf8'),
  }));
  const deleted = pathArb
    .filter((p) => p.length > 0)
    .map((p) => ({ how: `${JSON.stringify(p)} deleted`, bytes: Buffer.from(text(setAt(doc, p, DELETE), true), 'utf8') }));
  const extraKey = fc.tuple(pathArb, fc.constantFrom('comment', '__proto__', 'constructor', 'schemaVersion2', '', 'two\nlines', '\u001b[31mred')).map(([p, key]) => {
    let target: Json = doc;
    for (const k of p) target = (target as Record<string | number, Json>)[k];
    if (target === null || typeof target !== 'object' || Array.isArray(target)) return { how: 'extra key (no object)', bytes: Buffer.from(text(doc, true)) };
    const body = text(setAt(doc, p, { ...target, [RAW]: 1 } as Json), true).replace(JSON.stringify(RAW), () => JSON.stringify(key));
    return { how: `extra key ${JSON.stringify(key)} at ${JSON.stringify(p)}`, bytes: Buffer.from(body, 'utf8') };
  });
  const version = fc.constantFrom('0', '-1', '2', '3', '999', '1.5', '"1"', 'null', '1e999').map((v) => {
    const hasVersion = doc !== null && typeof doc === 'object' && !Array.isArray(doc) && 'schemaVersion' in doc;
    const body = hasVersion ? text(setAt(doc, ['schemaVersion'], RAW), true).replace(JSON.stringify(RAW), v) : text(doc, true);
    return { how: `schemaVersion ${v}`, bytes: Buffer.from(body, 'utf8') };
  });
  const wrapped = fc.constantFrom('array', 'string', 'number').map((how) => ({
    how: `whole document as ${how}`,
    bytes: Buffer.from(how === 'array' ? `[${text(doc, false)}]` : how === 'string' ? JSON.stringify(text(doc, false)) : '42'),
  }));
  const valid2 = Buffer.from(text(doc, true), 'utf8');
  return fc.oneof(
    { arbitrary: replaced, weight: 5 },
    { arbitrary: deleted, weight: 2 },
    { arbitrary: extraKey, weight: 1 },
    { arbitrary: version, weight: 1 },
    { arbitrary: wrapped, weight: 1 },
    { arbitrary: byteMutants(valid2), weight: 4 },
  ).map(printable);
}
