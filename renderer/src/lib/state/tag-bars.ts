// The tag distribution chart's bars: tags by token count, each with its share of all tagged
// tokens; for the many fine tags the top N and one bar for the rest.
import type { CorpusStats } from '../../../../shared/schemas/corpus';

export interface TagBar {
  tag: string;
  count: number;
  /** Of all tagged tokens of the corpus (every split). */
  share: number;
}

export const OTHER_TAGS = '(others)';

export function tagBars(stats: CorpusStats, level: 'universal' | 'fine', top = 25): TagBar[] {
  const counts = level === 'universal' ? stats.universalTags : stats.fineTags;
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  const share = (n: number) => (total > 0 ? n / total : 0);
  const shown = level === 'fine' && entries.length > top ? entries.slice(0, top) : entries;
  const bars = shown.map(([tag, count]) => ({ tag, count, share: share(count) }));
  const rest = entries.slice(shown.length).reduce((sum, [, n]) => sum + n, 0);
  if (rest > 0) bars.push({ tag: OTHER_TAGS, count: rest, share: share(rest) });
  return bars;
}
