// Plain-text tables of corpus statistics for the terminal.
import type { CorpusManifest, RankBand } from '../../shared/schemas/corpus';
import { shown } from './terminal-text';

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

export function formatCorpusStats(m: CorpusManifest): string {
  const s = m.stats;
  const rows = (['train', 'valid', 'test'] as const).map((split) => {
    const x = s.splits[split];
    return `  ${split.padEnd(5)} ${String(x.sentences).padStart(9)} ${String(x.tokens).padStart(10)} ${String(x.types).padStart(8)} ${pct(x.oovRateTrain).padStart(9)} ${pct(x.oovRateTopK).padStart(9)}`;
  });
  const lines = [
    `${shown(m.name)} [${m.format}${m.tagged ? `, ${m.tagset} tags` : ', untagged'}]  preprocessing: ` +
      `lowercase ${on(m.preprocessing.lowercase)}, numbers→N ${on(m.preprocessing.numbers)}, <eos> ${on(m.preprocessing.eos)}`,
    `  split  sentences     tokens    types  OOV(train)  OOV(K=${s.vocabSize})`,
    ...rows,
  ];
  const universal = Object.entries(s.universalTags).sort((a, b) => b[1] - a[1]);
  if (universal.length) {
    const total = universal.reduce((a, [, n]) => a + n, 0);
    lines.push(`  universal tags: ${universal.map(([t, n]) => `${t} ${pct(n / total)}`).join(', ')}`);
  }
  const unmapped = Object.keys(s.unmappedTags);
  if (unmapped.length) lines.push(`  unmapped tags (counted as X): ${unmapped.slice(0, 20).join(' ')}`);
  return lines.join('\n');
}

const on = (b: boolean) => (b ? 'on' : 'off');

/** One line for a class set with rank bands: `frequency: freq-1-100 ranks 1–100 (100 types), …`. */
export function formatRankBands(set: { id: string; sizes: Record<string, number>; bands?: readonly RankBand[] }): string {
  const banded = new Set((set.bands ?? []).map((b) => b.class));
  const parts = (set.bands ?? []).map(
    (b) => `${b.class} ranks ${b.fromRank}${b.toRank === null ? '+' : `–${b.toRank}`} (${set.sizes[b.class] ?? 0} types)`,
  );
  for (const [c, n] of Object.entries(set.sizes)) if (!banded.has(c)) parts.push(`${c} (${n} type${n === 1 ? '' : 's'})`);
  return `  ${set.id}: ${parts.join(', ')}`;
}
