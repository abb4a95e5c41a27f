// Which settings make a set of runs not comparable (issue 4 §2, Compare): runs of different
// models are what a comparison is for, but the target state, the layer, the normalisation,
// the corpus and the split change what Ḡ_τ measures (DESIGN §3), so curves that differ in
// them differ for reasons other than the models. A different cell in the analysed layer
// (LSTM, GRU, vanilla RNN) is named too: the curves then compare architectures, not only
// trained weights.
import type { ComparabilitySetting, ComparabilityWarning } from '../../../shared/api/runs';
import { CELL_LABELS } from '../../../shared/schemas/model';
import { analysedCell, type RunRecord } from '../../../shared/schemas/run';

interface SettingRule {
  setting: ComparabilitySetting;
  value: (r: RunRecord) => string;
  why: string;
}

const RULES: SettingRule[] = [
  {
    setting: 'cell',
    value: (r) => CELL_LABELS[analysedCell(r)],
    why: 'the analysed layers are different recurrent cells (only an LSTM has a cell state c), so the curves differ by architecture as well as by training',
  },
  { setting: 'state', value: (r) => r.config.state, why: 'gradients of the cell state c and of the output h are on different scales' },
  { setting: 'layer', value: (r) => `${r.config.layer} of ${r.config.layers}`, why: 'each layer keeps its own memory' },
  {
    setting: 'normalisation',
    value: (r) => r.config.normalize,
    why: 'normalised singular values are in equal-variance coordinates, not embedding coordinates',
  },
  { setting: 'corpus', value: (r) => r.corpus, why: 'the averages are over different text' },
  { setting: 'split', value: (r) => r.split, why: 'the averages are over different text' },
];

const LABEL: Record<ComparabilitySetting, string> = {
  cell: 'cell',
  state: 'target state',
  layer: 'layer',
  normalisation: 'normalisation',
  corpus: 'corpus',
  split: 'split',
};

/** One warning per setting in which the runs do not all agree, in the order cell, state, layer, normalisation, corpus, split. */
export function comparabilityWarnings(records: readonly RunRecord[]): ComparabilityWarning[] {
  const warnings: ComparabilityWarning[] = [];
  for (const rule of RULES) {
    const values = records.map((r) => ({ run: r.id, value: rule.value(r) }));
    if (new Set(values.map((v) => v.value)).size < 2) continue;
    const listed = values.map((v) => `${v.run}: ${v.value}`).join(', ');
    warnings.push({ setting: rule.setting, values, message: `Different ${LABEL[rule.setting]} (${listed}): ${rule.why}.` });
  }
  return warnings;
}
