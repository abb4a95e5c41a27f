// Properties of a run (d = ē_a − ē_b). Checked before the sweep, so a typo in --property
// fails in a second instead of after the accumulation. Explicit properties that cannot be
// built are errors; the default ones (the paper's, when the corpus has the `paper` class
// set) are skipped with a warning, e.g. when a corpus has no singular/plural tags.
import { BUILTIN_PROPERTIES, parsePropertySpec, propertyVector, type ClassWords, type Mat, type PropertySpec } from '../analysis';
import { UserError } from '../errors';
import type { ResolvedClasses } from './run-classes';

const PAPER_SET = 'paper';

/** Parses the specs and checks that their classes exist (no embeddings needed). */
export function parseProperties(specs: readonly string[] | undefined, classes: ResolvedClasses): { specs: PropertySpec[]; explicit: boolean } {
  if (specs === undefined) {
    if (!classes.available.includes(PAPER_SET)) return { specs: [], explicit: false };
    const paper = (c: string) => classes.nameOf(PAPER_SET, c);
    return { specs: BUILTIN_PROPERTIES.map((p) => ({ name: p.name, classA: paper(p.classA), classB: paper(p.classB) })), explicit: false };
  }
  const out: PropertySpec[] = [];
  for (const text of specs) {
    let spec: PropertySpec;
    try {
      spec = parsePropertySpec(text);
    } catch (err) {
      throw new UserError((err as Error).message);
    }
    // A bare built-in name refers to the paper set's classes.
    if (BUILTIN_PROPERTIES.some((b) => b.name === text.trim()) && classes.available.includes(PAPER_SET)) {
      spec = { ...spec, classA: classes.nameOf(PAPER_SET, spec.classA), classB: classes.nameOf(PAPER_SET, spec.classB) };
    }
    const missing = [spec.classA, spec.classB].filter((c) => !classes.words[c]);
    if (missing.length) {
      const known = classes.names;
      throw new UserError(
        `property '${spec.name}': unknown class ${missing.map((m) => `'${m}'`).join(' and ')}; the corpus's classes are: ` +
          `${known.length ? known.join(', ') : '(none: the corpus has no class sets)'}`,
      );
    }
    if (out.some((p) => p.name === spec.name)) throw new UserError(`property '${spec.name}' is given twice`);
    out.push(spec);
  }
  return { specs: out, explicit: true };
}

/** Builds every property vector once: explicit failures throw, default ones are dropped with a warning. */
export function checkPropertyVectors(
  parsed: { specs: PropertySpec[]; explicit: boolean },
  words: ClassWords,
  vocab: readonly string[],
  embeddings: Mat,
  warnings: string[],
): PropertySpec[] {
  const kept: PropertySpec[] = [];
  for (const spec of parsed.specs) {
    try {
      propertyVector(spec, words, vocab, embeddings);
      kept.push(spec);
    } catch (err) {
      const why = (err as Error).message;
      if (parsed.explicit) throw new UserError(why.startsWith('property') ? why : `property '${spec.name}': ${why}`);
      warnings.push(`default property ${spec.name} skipped: ${why}`);
    }
  }
  return kept;
}
