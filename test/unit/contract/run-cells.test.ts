// The cell of a run's model in what the engine says about runs: run.json records it per layer
// (older files read as LSTM), Compare lists a different cell among what differs, and the
// findings check names the cell and, for other cells than the LSTM, says the expected values
// come from LSTMs.
import { describe, expect, it } from 'vitest';
import { comparabilityWarnings } from '../../../main/engine/handlers/run-comparability';
import { checkFindings } from '../../../main/engine/runs/findings';
import { RunFindingsSchema } from '../../../shared/schemas/findings';
import { RunRecordSchema, analysedCell, runCells } from '../../../shared/schemas/run';
import { makeRecord } from '../../../renderer/src/lib/transforms/test-record';

describe('run.json cells', () => {
  it('are per layer, and absent in files written before cells existed (read as LSTM)', () => {
    const old = RunRecordSchema.parse(makeRecord({ units: [8, 8] }));
    expect(old.modelShape.cells).toBeUndefined();
    expect(runCells(old.modelShape)).toEqual(['lstm', 'lstm']);
    const mixed = RunRecordSchema.parse(makeRecord({ units: [8, 8], cells: ['lstm', 'gru'] }));
    expect(runCells(mixed.modelShape)).toEqual(['lstm', 'gru']);
    expect(analysedCell({ ...mixed, config: { ...mixed.config, layer: 2 } })).toBe('gru');
    const bad = makeRecord();
    expect(RunRecordSchema.safeParse({ ...bad, modelShape: { ...bad.modelShape, cells: ['transformer'] } }).success).toBe(false);
  });
});

describe('Compare', () => {
  it("lists a different cell of the analysed layer among what differs, and nothing when the cells agree", () => {
    const lstm = makeRecord({ id: 'a' });
    const gru = makeRecord({ id: 'g', cells: ['gru'] });
    const w = comparabilityWarnings([lstm, gru]);
    expect(w.map((x) => x.setting)).toEqual(['cell']);
    expect(w[0].values).toEqual([
      { run: 'a', value: 'LSTM' },
      { run: 'g', value: 'GRU' },
    ]);
    expect(w[0].message).toMatch(/^Different cell \(a: LSTM, g: GRU\): /);
    // A run.json without cells is of an LSTM: no difference from one that says so.
    expect(comparabilityWarnings([lstm, makeRecord({ id: 'b', cells: ['lstm'] })])).toEqual([]);
    // An LSTM's c against a GRU's h: both differences are listed, the cell first.
    const h = makeRecord({ id: 'h', cells: ['gru'], state: 'h' });
    expect(comparabilityWarnings([lstm, h]).map((x) => x.setting)).toEqual(['cell', 'state']);
  });
});

describe('the findings check', () => {
  it('names the cell of an LSTM run without a caveat', () => {
    const f = checkFindings(makeRecord());
    expect(f).toMatchObject({ cell: 'lstm', caveat: null });
    expect(RunFindingsSchema.parse(f)).toEqual(f);
  });

  it('for a GRU run, says that the expected values come from LSTMs', () => {
    const f = checkFindings(makeRecord({ cells: ['gru'], state: 'h' }));
    expect(f.cell).toBe('gru');
    expect(f.caveat).toMatch(/GRU layer.*made on LSTM language models: the expected values come from an LSTM/);
    expect(f.findings).toHaveLength(9);
  });

  it('reads a reply from an engine that did not name cells as of an LSTM', () => {
    const { cell: _c, caveat: _v, ...older } = checkFindings(makeRecord());
    expect(RunFindingsSchema.parse(older)).toMatchObject({ cell: 'lstm', caveat: null });
  });
});
