// Numeric form fields: what a field accepts, and the text a person typed turned into a value
// or into a message saying what is wrong. The engine validates again (its zod schemas are
// the contract); these checks only let a form say so before anything is sent.

export interface NumberFieldSpec {
  kind: 'int' | 'float';
  min?: number;
  max?: number;
  /** min / max themselves are not allowed. */
  minExclusive?: boolean;
  maxExclusive?: boolean;
  /** An empty field is allowed and means null (the engine's own choice). */
  optional?: boolean;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** "1e-3", " 20 ", "0.5" → numbers; "", "abc", "1.5" for an int → a message. */
export function parseNumberField(spec: NumberFieldSpec, text: string): Parsed<number | null> {
  const t = text.trim();
  if (t === '') return spec.optional ? { ok: true, value: null } : { ok: false, error: 'required' };
  const n = Number(t);
  if (!Number.isFinite(n)) return { ok: false, error: `'${t}' is not a number` };
  if (spec.kind === 'int' && !Number.isInteger(n)) return { ok: false, error: 'must be a whole number' };
  if (spec.min !== undefined && (spec.minExclusive ? n <= spec.min : n < spec.min)) {
    return { ok: false, error: spec.minExclusive ? `must be more than ${spec.min}` : `must be at least ${spec.min}` };
  }
  if (spec.max !== undefined && (spec.maxExclusive ? n >= spec.max : n > spec.max)) {
    return { ok: false, error: spec.maxExclusive ? `must be less than ${spec.max}` : `must be at most ${spec.max}` };
  }
  return { ok: true, value: n };
}

/** A number as a field shows it (null: empty). */
export function fieldText(value: number | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

/** Ids of projects' items: what ItemIdSchema accepts, with the same message. */
export const ITEM_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function checkItemId(id: string): string | null {
  if (id.trim() === '') return 'required';
  return ITEM_ID_PATTERN.test(id) ? null : 'must be 1-64 characters of A-Z a-z 0-9 . _ - and start with a letter or digit';
}

/** A free id derived from `base`: 'small', then 'small-2', 'small-3', … */
export function freeId(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const clean = base.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 56) || 'item';
  if (!used.has(clean)) return clean;
  for (let i = 2; ; i++) if (!used.has(`${clean}-${i}`)) return `${clean}-${i}`;
}
