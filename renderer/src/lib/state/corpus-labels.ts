// Labels the Corpora view shows for one corpus: where it came from, and the tags its tagset
// table does not know with their share of the tagged tokens.
import type { CorpusManifest } from '../../../../shared/schemas/corpus';
import { formatPercent } from '../../../../shared/format';

/** "Brown, 40 files" for the built-in corpus; the file names otherwise. */
export function sourceLabel(c: CorpusManifest): string {
  return c.source.kind === 'builtin-brown'
    ? `Brown${c.source.maxFiles ? `, ${c.source.maxFiles} files` : ''}`
    : c.source.paths.map((p) => p.split(/[\\/]/).pop()).join(', ');
}

export const share = (n: number, total: number): number => (total > 0 ? n / total : 0);

/** The first 12 unmapped tags, each with its share of `total` tokens: "FW-X (0.10%), …". */
export function unmappedTagList(unmapped: Record<string, number>, total: number): string {
  return Object.entries(unmapped)
    .slice(0, 12)
    .map(([t, n]) => `${t} (${formatPercent(share(n, total), 2)})`)
    .join(', ');
}
