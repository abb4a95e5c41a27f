// Word classes of a run: the corpus's class sets flattened into one name space. A class keeps
// its bare name (e.g. `noun-sg`, `NOUN`) unless two sets of the corpus share that name; then
// it is `set/class`. Properties may always use the qualified `set/class` form as well.
import type { ClassWords } from '../analysis';
import { listClassSets, readClassSet } from '../corpus';
import { UserError } from '../errors';
import type { RunClass } from '../../../shared/schemas/run';

export interface ResolvedClasses {
  /** Every class of every set of the corpus, under its name and its `set/class` form (for properties). */
  words: ClassWords;
  /** The names of all classes of the corpus (bare or `set/class`), for messages. */
  names: string[];
  /** The name each (set, class) is known by. */
  nameOf: (set: string, cls: string) => string;
  /** The classes to accumulate, in order, with their vocabulary ids (classes without any are left out). */
  accumulate: (RunClass & { tokenIds: number[] })[];
  classSets: string[];
  /** ids of all the corpus's class sets */
  available: string[];
  warnings: string[];
}

export async function resolveClasses(
  corpusDir: string,
  corpusId: string,
  requested: readonly string[] | undefined,
  vocabIndex: ReadonlyMap<string, number>,
): Promise<ResolvedClasses> {
  const available = (await listClassSets(corpusDir)).map((s) => s.id);
  const sets = await Promise.all(available.map((id) => readClassSet(corpusDir, id)));
  const chosen = requested ? [...new Set(requested)] : available;
  const unknown = chosen.filter((id) => !available.includes(id));
  if (unknown.length) {
    throw new UserError(
      `corpus '${corpusId}' has no class set ${unknown.map((u) => `'${u}'`).join(', ')}; ` +
        `it has: ${available.length ? available.join(', ') : '(none)'}`,
    );
  }

  const owners = new Map<string, number>();
  for (const s of sets) for (const c of Object.keys(s.classes)) owners.set(c, (owners.get(c) ?? 0) + 1);
  const nameOf = (set: string, cls: string) => ((owners.get(cls) ?? 0) > 1 ? `${set}/${cls}` : cls);

  const words: ClassWords = {};
  const names: string[] = [];
  for (const s of sets) {
    for (const [cls, list] of Object.entries(s.classes)) {
      words[`${s.id}/${cls}`] = list;
      words[nameOf(s.id, cls)] = list;
      names.push(nameOf(s.id, cls));
    }
  }

  const accumulate: ResolvedClasses['accumulate'] = [];
  const empty: string[] = [];
  for (const s of sets.filter((x) => chosen.includes(x.id))) {
    for (const [cls, list] of Object.entries(s.classes)) {
      const ids = [...new Set(list.map((w) => vocabIndex.get(w)).filter((v): v is number => v !== undefined))].sort((a, b) => a - b);
      const name = nameOf(s.id, cls);
      if (ids.length === 0) empty.push(name);
      else accumulate.push({ name, set: s.id, class: cls, types: ids.length, tokenIds: ids });
    }
  }
  const warnings = empty.length
    ? [`classes left out (none of their words is in the model's vocabulary): ${empty.join(', ')}`]
    : [];
  return { words, names, nameOf, accumulate, classSets: chosen, available, warnings };
}
