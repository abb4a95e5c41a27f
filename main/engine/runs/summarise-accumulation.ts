// From the accumulated sums to the means Ḡ_τ (whole corpus, per class, per word, per
// group) and the analysis summary. Groups with no pair at some delay (a time window too
// short for the largest delays) would enter the standard errors as zero matrices: they
// are left out, and the run says so. Classes kept per group (see accumulateStateGradients)
// pass their group sums on for the class standard errors.
import { summariseRun, type DelayStack, type RunAnalysis } from '../analysis';
import { classGroupBlocks, groupBlocks, meanGradients, type StateGradientResult } from '../gradients';
import type { RunConfig } from '../../../shared/schemas/run';
import type { PreparedRun } from './prepare-run';

export interface SummarisedRun {
  /** [D+1, H, E] */
  G: Float32Array;
  /** per accumulated class / word, each [D+1, H, E], in config order */
  classG: Float32Array[];
  wordG: Float32Array[];
  analysis: RunAnalysis;
  groupsDropped: number[];
  warnings: string[];
}

export function summariseAccumulation(
  acc: StateGradientResult,
  prep: PreparedRun,
  config: Pick<RunConfig, 'normalize' | 'groups'>,
  onProgress: (done: number, total: number) => void,
): SummarisedRun {
  const H = acc.hiddenSize;
  const E = acc.inputSize;
  const delays = acc.maxDelay + 1;
  const stack = (data: Float32Array): DelayStack => ({ data, delays, rows: H, cols: E });
  const warnings: string[] = [...acc.warnings];

  const G = meanGradients(acc, H, E);
  const classG = acc.classes.map((c) => meanGradients(c, H, E));
  const wordG = acc.words.map((w) => meanGradients(w, H, E));

  const groupsDropped: number[] = [];
  const groupG: DelayStack[] = [];
  groupBlocks(acc).forEach((g, k) => {
    if (g.count.every((n) => n > 0)) groupG.push(stack(meanGradients(g, H, E)));
    else groupsDropped.push(k);
  });
  if (groupsDropped.length) {
    warnings.push(
      `${groupsDropped.length} of ${acc.groups} uncertainty groups had no pair at the largest delays (streams of ` +
        `${acc.length} steps are short for ${acc.groups} groups and delays up to ${acc.maxDelay}); standard errors use the other ${groupG.length}`,
    );
  }
  if (config.groups >= 2 && groupG.length < 2) warnings.push('fewer than 2 usable groups: no standard errors');
  const empty = Array.from(acc.count).flatMap((n, t) => (n === 0 ? [t] : []));
  if (empty.length) warnings.push(`no (source, step) pair at delay${empty.length > 1 ? 's' : ''} ${empty.join(', ')}: Ḡ is zero there`);

  const vocab = prep.vocab;
  const analysis = summariseRun({
    G: stack(G),
    classG: Object.fromEntries(acc.classes.map((c, i) => [c.name, stack(classG[i])])),
    classGroupSums: Object.fromEntries(
      acc.classes.flatMap((c, i) => {
        const parts = classGroupBlocks(acc, i);
        return parts ? [[c.name, parts]] : [];
      }),
    ),
    wordG: Object.fromEntries(prep.words.map((w, i) => [w.word, stack(wordG[i])])),
    groupG: groupG.length >= 2 ? groupG : [],
    embeddings: prep.embeddings,
    vocab: vocab.words,
    classes: prep.classes.words,
    properties: prep.properties,
    normalise: config.normalize,
    alignedExclude: [vocab.unk, ...(vocab.eos === null ? [] : [vocab.eos])],
    onProgress,
  });
  return { G, classG, wordG, analysis, groupsDropped, warnings };
}
