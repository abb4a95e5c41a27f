// Cells in the UI: the model import form's state (what it asks the engine to inspect, what it
// shows of the answer, the import job it sends for each detected format), the sweep form's
// refusal of the cell state c for a layer that is not an LSTM, shapes and parameter counts
// with the cells named, the run header's cell, Compare's lead and the Paper check's caveat.
import { describe, expect, it } from 'vitest';
import { jobKinds } from '../../../shared/jobs';
import type { DetectedModel } from '../../../shared/schemas/model';
import { jobDefaults } from '../../../main/engine/handlers/job-handlers';
import { ModelInspectInputSchema } from '../../../shared/api/models';
import {
  asksForHints,
  assumesNonlinearity,
  checkModelImportForm,
  detectedFacts,
  emptyModelImportValues,
  idFromModelPath,
  inspectRequest,
  requestKey,
  type ModelImportValues,
} from '../../../renderer/src/lib/state/model-import-form';
import { analyzeFormValues, checkAnalyzeForm, chosenLayerCell, noCellStateReason } from '../../../renderer/src/lib/state/analyze-form';
import { cellDetail, countParameters, describeArchitecture } from '../../../renderer/src/lib/state/model-size';
import { runCellText, runHeader } from '../../../renderer/src/lib/transforms/run-header';
import { comparabilityLead, runLabel } from '../../../renderer/src/lib/transforms/compare-series';
import { compareCellCaveat } from '../../../renderer/src/lib/transforms/findings-view';
import { makeRecord } from '../../../renderer/src/lib/transforms/test-record';

const detected = (over: Partial<DetectedModel> = {}): DetectedModel => ({
  format: 'pytorch',
  architecture: {
    vocabSize: 20,
    embeddingDim: 6,
    layers: [
      { units: 6, cell: 'gru', recurrentActivation: 'sigmoid' },
      { units: 6, cell: 'gru', recurrentActivation: 'sigmoid' },
    ],
    outputActivation: 'linear',
  },
  tied: true,
  dtype: 'float32',
  notes: [],
  ...over,
});

const filled = (over: Partial<ModelImportValues> = {}): ModelImportValues => ({
  ...emptyModelImportValues('gru-2layer'),
  file: ' /models/gru-2layer.pt ',
  vocab: '/models/vocab.txt',
  ...over,
});

describe('the model import form', () => {
  it('asks the engine to inspect the file with the hints that are filled in, and only those', () => {
    expect(inspectRequest(emptyModelImportValues())).toBeNull();
    expect(inspectRequest(filled())).toEqual({ path: '/models/gru-2layer.pt' });
    const hinted = inspectRequest(filled({ keys: { emb: ' embed.weight ', rnn: '', out: 'head.weight' }, nonlinearity: 'relu' }));
    expect(hinted).toEqual({ path: '/models/gru-2layer.pt', keys: { emb: 'embed.weight', out: 'head.weight' }, nonlinearity: 'relu' });
    expect(ModelInspectInputSchema.safeParse(hinted).success).toBe(true);
    expect(requestKey(hinted)).not.toBe(requestKey(inspectRequest(filled())));
  });

  it('shows format, cell, layers, sizes, tying and dtype of what was detected', () => {
    const facts = Object.fromEntries(detectedFacts(detected()).map((f) => [f.label, f.value]));
    expect(facts).toMatchObject({
      Format: 'PyTorch state_dict (torch.save)',
      Cell: 'GRU',
      Layers: '2',
      Sizes: 'E 6 · H 6 → 6 · V 20',
      Shape: 'V 20 · E 6 · GRU 6 → 6',
      Output: 'tied to the embedding (E = H = 6)',
      Weights: 'float32',
    });
    expect(Object.fromEntries(detectedFacts(detected({ format: 'onnx', tied: false })).map((f) => [f.label, f.value]))).toMatchObject({
      Format: 'ONNX graph',
      Output: 'its own weights (not tied)',
    });
  });

  it('refuses to import before the file has been read, and says what is missing', () => {
    const ctx = { project: '/p', takenIds: new Set(['taken']), detected: null };
    const none = checkModelImportForm({ ...emptyModelImportValues('taken') }, ctx);
    expect(none).toEqual({ ok: false, errors: { id: expect.stringMatching(/already has a model 'taken'/), file: expect.any(String), vocab: expect.any(String) } });
    const unread = checkModelImportForm(filled(), ctx);
    expect(unread.ok === false && unread.errors.file).toMatch(/not been read/);
  });

  it('sends pytorch, onnx or modelJson according to the detected format, with the hints only for state_dicts', () => {
    const hints = { keys: { emb: 'embed.weight', rnn: '', out: '' }, nonlinearity: 'relu' as const };
    const ctx = (format: DetectedModel['format']) => ({ project: '/p', takenIds: new Set<string>(), detected: detected({ format }) });
    const sent = (format: DetectedModel['format']) => {
      const checked = checkModelImportForm(filled(hints), ctx(format));
      if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
      expect(jobKinds['import-model'].params.safeParse(checked.params).success).toBe(true);
      return checked.params;
    };
    const base = { project: '/p', id: 'gru-2layer', vocab: '/models/vocab.txt' };
    expect(sent('pytorch')).toEqual({ ...base, pytorch: '/models/gru-2layer.pt', keys: { emb: 'embed.weight' }, nonlinearity: 'relu' });
    expect(sent('safetensors')).toEqual({ ...base, pytorch: '/models/gru-2layer.pt', keys: { emb: 'embed.weight' }, nonlinearity: 'relu' });
    expect(sent('onnx')).toEqual({ ...base, onnx: '/models/gru-2layer.pt' });
    expect(sent('tfjs')).toEqual({ ...base, modelJson: '/models/gru-2layer.pt' });
  });

  it("opens the advanced fields when the engine asks for keys, or assumed a state_dict RNN's nonlinearity", () => {
    expect(asksForHints("/m.pt: keys not recognised as parts of an Embedding → RNN → Linear model; give --keys emb=…")).toBe(true);
    expect(asksForHints('/m.pt: the file is empty')).toBe(false);
    const rnn = detected({ architecture: { ...detected().architecture, layers: [{ units: 6, cell: 'rnn-tanh', recurrentActivation: 'sigmoid' }] } });
    expect(assumesNonlinearity(rnn, { nonlinearity: '' })).toBe(true);
    expect(assumesNonlinearity(rnn, { nonlinearity: 'tanh' })).toBe(false);
    expect(assumesNonlinearity({ ...rnn, format: 'onnx' }, { nonlinearity: '' })).toBe(false);
    expect(assumesNonlinearity(detected(), { nonlinearity: '' })).toBe(false);
  });

  it('suggests the id from the file name, or from the folder of a model.json', () => {
    expect(idFromModelPath('/models/ptb-small/model.json')).toBe('ptb-small');
    expect(idFromModelPath('C:\\m\\wikitext-gru.safetensors')).toBe('wikitext-gru');
    expect(idFromModelPath('/m/lm.onnx')).toBe('lm');
    expect(idFromModelPath('/m/lm.pt')).toBe('lm');
  });
});

describe('the sweep form and cells', () => {
  const defaults = jobDefaults();
  const ctx = { project: '/p', takenRunIds: new Set<string>(), modelLayers: 2, classSets: [], modelCells: ['lstm', 'gru'] as const };
  const base = () => analyzeFormValues(defaults.analyze, { id: 'run', model: 'mixed', corpus: 'brown' });

  it('finds the cell of the chosen layer (empty: the last)', () => {
    expect(chosenLayerCell(['lstm', 'gru'], '')).toEqual({ layer: 2, cell: 'gru' });
    expect(chosenLayerCell(['lstm', 'gru'], ' 1 ')).toEqual({ layer: 1, cell: 'lstm' });
    expect(chosenLayerCell(['lstm', 'gru'], '3')).toBeNull();
    expect(chosenLayerCell(null, '')).toBeNull();
    expect(noCellStateReason({ layer: 1, cell: 'lstm' })).toBeNull();
    expect(noCellStateReason({ layer: 2, cell: 'gru' })).toBe('layer 2 is a GRU: only LSTM layers have a cell state c; target the hidden state h');
    expect(noCellStateReason({ layer: 1, cell: 'rnn-relu' })).toMatch(/^layer 1 is an RNN \(ReLU\)/);
  });

  it('refuses the cell state c of a GRU layer with that message, and accepts it of an LSTM layer or h of any', () => {
    const refused = checkAnalyzeForm({ ...base(), state: 'c' }, ctx);
    expect(refused).toEqual({ ok: false, errors: { state: 'layer 2 is a GRU: only LSTM layers have a cell state c; target the hidden state h' } });
    expect(checkAnalyzeForm({ ...base(), state: 'c', layer: '1' }, ctx).ok).toBe(true);
    expect(checkAnalyzeForm({ ...base(), state: 'h' }, ctx).ok).toBe(true);
    // Cells unknown (an old caller): not refused here; the engine refuses it.
    expect(checkAnalyzeForm({ ...base(), state: 'c' }, { ...ctx, modelCells: undefined }).ok).toBe(true);
  });
});

describe('shapes and parameter counts name the cells', () => {
  const arch = (cells: ('lstm' | 'gru' | 'rnn-tanh')[], units = 6) => ({
    vocabSize: 20,
    embeddingDim: 5,
    layers: cells.map((cell) => ({ units, cell, recurrentActivation: 'sigmoid' as const })),
    outputActivation: 'linear' as const,
  });

  it('counts a GRU with its two biases and a vanilla RNN with one block (the PyTorch fixtures: E 5, H 6, V 20)', () => {
    // PyTorch: GRU weight_ih 18×5, weight_hh 18×6, two biases of 18; RNN 6×5, 6×6, two biases of 6 (summed into one here).
    const outside = 20 * 5 + 6 * 20 + 20;
    expect(countParameters(arch(['gru']))).toBe(outside + 18 * 5 + 18 * 6 + 18 + 18);
    expect(countParameters(arch(['rnn-tanh']))).toBe(outside + 6 * 5 + 6 * 6 + 6);
    expect(countParameters(arch(['lstm']))).toBe(outside + 24 * 5 + 24 * 6 + 24);
  });

  it('describes the layers, one cell name per run of equal cells', () => {
    expect(describeArchitecture(arch(['gru', 'gru']))).toBe('V 20 · E 5 · GRU 6 → 6');
    expect(describeArchitecture(arch(['lstm', 'gru']))).toBe('V 20 · E 5 · LSTM 6 → GRU 6');
    expect(cellDetail(arch(['lstm']))).toBe('LSTM, sigmoid gates');
    expect(cellDetail(arch(['rnn-tanh']))).toBe('RNN (tanh)');
    expect(cellDetail(arch(['lstm', 'gru']))).toBe('layer 1 LSTM, sigmoid gates; layer 2 GRU, sigmoid gates');
  });
});

describe('runs name their cell', () => {
  it('in the run header, reading a run.json without cells as an LSTM', () => {
    const facts = (cells?: ('lstm' | 'gru')[], units?: number[]) =>
      Object.fromEntries(runHeader(makeRecord({ cells, units })).flatMap((g) => g.facts.map((f) => [f.label, f.value])));
    expect(facts().Cell).toBe('LSTM');
    expect(facts(['gru']).Cell).toBe('GRU');
    expect(runCellText(makeRecord({ cells: ['gru', 'lstm'], units: [8, 8] }))).toBe('GRU → LSTM (layer 1: GRU)');
  });

  it("in Compare's run labels and its lead when only the cells differ", () => {
    expect(runLabel(makeRecord({ id: 'a' }))).toBe('a · lm, H 32');
    expect(runLabel(makeRecord({ id: 'g', cells: ['gru'] }))).toBe('g · lm, GRU, H 32');
    expect(comparabilityLead([{ setting: 'cell' }]).title).toMatch(/different recurrent cells/);
    expect(comparabilityLead([{ setting: 'cell' }, { setting: 'state' }]).title).toMatch(/not directly comparable/);
  });

  it("in Compare's Paper check: runs of other cells are named, with the LSTM origin of the expected values", () => {
    expect(compareCellCaveat([{ run: 'a', cell: 'lstm' }])).toBeNull();
    const text = compareCellCaveat([{ run: 'a', cell: 'lstm' }, { run: 'g', cell: 'gru' }], { g: 'g · gru-lm' });
    expect(text).toMatch(/made on LSTMs/);
    expect(text).toContain('g · gru-lm (GRU) is checked');
  });
});
