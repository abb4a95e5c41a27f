// Which tags a user corpus has and where its universal tags come from, decided from the
// first lines of the (train) file, unless the user names the tagset.
import type { Tagset, UserFormat } from '../../../shared/schemas/corpus';
import { parseConlluRow } from './conllu-reader';
import { DETECT_LINES } from './format-detect';
import { parseTaggedLine } from './tagged-line';
import { detectTagset, isKnownTagset } from './tagsets';
import { firstNonEmptyLines } from './text-lines';

export interface Tagging {
  /** Tagset of the fine tags; 'none' when the corpus is treated as untagged. */
  tagset: Tagset;
  /** CoNLL-U column the fine tags come from (null for other formats or untagged). */
  fineColumn: 'XPOS' | 'UPOS' | null;
  universalFrom: 'fine' | 'conllu-upos' | 'none';
}

export const UNTAGGED: Tagging = { tagset: 'none', fineColumn: null, universalFrom: 'none' };

const MIN_SHARE = 0.9;

function countInto(m: Map<string, number>, key: string): void {
  m.set(key, (m.get(key) ?? 0) + 1);
}

function fineOnly(tagset: Tagset): Tagging {
  return { tagset, fineColumn: null, universalFrom: isKnownTagset(tagset) ? 'fine' : 'none' };
}

function conlluTagging(xpos: Map<string, number>, uposShare: number, xposShare: number, override?: Tagset): Tagging {
  const universalFrom = uposShare >= MIN_SHARE ? 'conllu-upos' : 'none';
  if (override === 'none') return UNTAGGED;
  if (override === 'upos') return { tagset: 'upos', fineColumn: 'UPOS', universalFrom };
  if (override) return { tagset: override, fineColumn: 'XPOS', universalFrom: universalFrom === 'none' && isKnownTagset(override) ? 'fine' : universalFrom };
  const xposTagset = xposShare >= MIN_SHARE ? detectTagset(xpos) : 'none';
  if (xposTagset === 'ptb' || xposTagset === 'brown') {
    return { tagset: xposTagset, fineColumn: 'XPOS', universalFrom: universalFrom === 'none' ? 'fine' : universalFrom };
  }
  if (uposShare >= MIN_SHARE) return { tagset: 'upos', fineColumn: 'UPOS', universalFrom };
  if (xposTagset === 'unknown') return { tagset: 'unknown', fineColumn: 'XPOS', universalFrom: 'none' };
  return UNTAGGED;
}

// The sample skips rows it cannot parse: the import reads them again and reports them
// with their true line numbers (blank lines are not in the sample).
function tolerant<T>(parse: () => T): T | null {
  try {
    return parse();
  } catch {
    return null;
  }
}

/** Decides the tagging of a file of the given format from its first lines (or the override). */
export async function detectTagging(file: string, format: UserFormat, override?: Tagset): Promise<Tagging> {
  if (format === 'plain') return UNTAGGED;
  const lines = await firstNonEmptyLines(file, DETECT_LINES);
  if (format === 'tagged') {
    if (override) return override === 'none' ? UNTAGGED : fineOnly(override);
    const tags = new Map<string, number>();
    for (const l of lines) tolerant(() => parseTaggedLine(l, file, 0))?.tags.forEach((t) => countInto(tags, t));
    return fineOnly(detectTagset(tags));
  }
  const xpos = new Map<string, number>();
  let tokens = 0;
  let withUpos = 0;
  let withXpos = 0;
  for (const l of lines) {
    const t = l.startsWith('#') ? null : tolerant(() => parseConlluRow(l, file, 0));
    if (!t) continue;
    tokens += 1;
    if (t.upos !== '_' && t.upos !== '') withUpos += 1;
    if (t.xpos !== '_' && t.xpos !== '') {
      withXpos += 1;
      countInto(xpos, t.xpos);
    }
  }
  return conlluTagging(xpos, tokens ? withUpos / tokens : 0, tokens ? withXpos / tokens : 0, override);
}
