// What the corpus view shows for one class set: its classes with their word-type counts and,
// for the frequency bands, the rank range each band covers.
import type { ClassSetSummary } from '../../../../shared/api/corpora';
import { formatCount } from '../../../../shared/format';

export interface ClassRow {
  name: string;
  types: number;
  /** "ranks 1–100", "ranks 10,001+"; null for a class that is not a rank band. */
  ranks: string | null;
}

/** Band classes first, in band order (most frequent first), then the other classes in stored order. */
export function classRows(set: Pick<ClassSetSummary, 'sizes' | 'bands'>): ClassRow[] {
  const bands = set.bands ?? [];
  const banded = new Set(bands.map((b) => b.class));
  const rows: ClassRow[] = bands.map((b) => ({
    name: b.class,
    types: set.sizes[b.class] ?? 0,
    ranks: `ranks ${formatCount(b.fromRank)}${b.toRank === null ? '+' : `–${formatCount(b.toRank)}`}`,
  }));
  for (const [name, types] of Object.entries(set.sizes)) if (!banded.has(name)) rows.push({ name, types, ranks: null });
  return rows;
}
