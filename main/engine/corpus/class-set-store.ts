// Class sets kept with the corpus: <corpusDir>/classes/<id>.json (schema ClassSet).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CLASS_SET_SCHEMA_VERSION, ClassSetSchema, type ClassSet, type RankBand } from '../../../shared/schemas/corpus';
import { UserError } from '../errors';
import { writeJsonAtomic } from '../project/atomic-write';
import { CLASSES_DIR, classSetFile } from './corpus-files';
import { readVersionedJson } from './json-file';

/** Validates, sorts each class's words and writes the set atomically. */
export async function writeClassSet(corpusDir: string, set: ClassSet): Promise<void> {
  const parsed = ClassSetSchema.safeParse(set);
  if (!parsed.success) throw new UserError(`class set '${set.id}': ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const classes = Object.fromEntries(Object.entries(parsed.data.classes).map(([name, words]) => [name, [...new Set(words)].sort()]));
  await fs.mkdir(path.join(corpusDir, CLASSES_DIR), { recursive: true });
  await writeJsonAtomic(classSetFile(corpusDir, set.id), { ...parsed.data, classes });
}

export async function readClassSet(corpusDir: string, id: string): Promise<ClassSet> {
  return readVersionedJson(classSetFile(corpusDir, id), ClassSetSchema, 'class set', CLASS_SET_SCHEMA_VERSION);
}

export interface ClassSetSummary {
  id: string;
  name: string;
  source: string;
  /** Class name → number of word types. */
  sizes: Record<string, number>;
  /** Rank edges of frequency bands (the `frequency` set). */
  bands?: RankBand[];
  /** Set when the set is not stored with the corpus (computed for one listing only). */
  note?: string;
}

export function summariseClassSet(set: ClassSet, note?: string): ClassSetSummary {
  return {
    id: set.id,
    name: set.name,
    source: set.source,
    sizes: Object.fromEntries(Object.entries(set.classes).map(([c, words]) => [c, words.length])),
    ...(set.bands && { bands: set.bands }),
    ...(note !== undefined && { note }),
  };
}

/** Class sets stored with the corpus, sorted by id. */
export async function listClassSets(corpusDir: string): Promise<ClassSetSummary[]> {
  let names: string[];
  try {
    names = await fs.readdir(path.join(corpusDir, CLASSES_DIR));
  } catch {
    return [];
  }
  const ids = names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).map((n) => n.slice(0, -5)).sort();
  const out: ClassSetSummary[] = [];
  for (const id of ids) {
    out.push(summariseClassSet(await readClassSet(corpusDir, id)));
  }
  return out;
}
