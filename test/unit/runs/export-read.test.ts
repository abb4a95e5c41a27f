// Export (CSV and flat JSON) of a real run, checked value by value against run.json, and
// readRun's refusals of damaged run folders, each naming the file.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessContext } from '../../../main/engine/jobs/task-context';
import { writeNpy } from '../../../main/engine/project';
import { sweepTask, exportColumns, readRun, readRunRecord, runToCsv, runToExport, type SweepResult, parseAnalyzeParams } from '../../../main/engine/runs';
import type { RunRecord } from '../../../shared/schemas/run';
import { makeRunProject, type RunProject } from './helpers';

let p: RunProject;
let run: SweepResult;
const D = 4;

/** Minimal RFC 4180 reader (quoted fields with "" escapes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\n') {
      endField();
      rows.push(row);
      row = [];
    } else field += ch;
  }
  return rows;
}

beforeAll(async () => {
  p = await makeRunProject({ units: [5] });
  run = await sweepTask(
    parseAnalyzeParams({ project: p.dir, model: 'm', corpus: 'c', id: 'e', streams: 2, maxTokens: 80, maxDelay: D, groups: 2, workers: 0, words: ['the', 'dogs'] }),
    inProcessContext(),
  );
});
afterAll(async () => {
  await p.cleanup();
});

describe('export', () => {
  it('CSV: one row per delay, every scalar column, values equal to run.json', () => {
    const r = run.record;
    const rows = parseCsv(runToCsv(r));
    const cols = exportColumns(r);
    const header = rows[0];
    expect(rows).toHaveLength(D + 2);
    expect(header).toEqual(cols.map((c) => c.key));
    for (const row of rows) expect(row).toHaveLength(cols.length);
    const nClasses = r.config.classes.length;
    // 10 run columns + 5 per class + 5 per word + (m, m_se, r + cos(d, H_n) for n ≤ min(10, H, E)) per property
    expect(r.summary.delays[0].properties['sg-pl'].cos).toHaveLength(5);
    expect(cols.length).toBe(10 + 5 * nClasses + 5 * 2 + (3 + 5) * r.summary.properties.length);
    expect(header.slice(0, 10)).toEqual(['tau', 'pairs', 'sigma1', 'sigma1_se', 'sum', 'sum_se', 'ratio1', 'ratio5', 'sigma1_fit_residual', 'sum_fit_residual']);
    const at = (t: number, key: string) => rows[t + 1][header.indexOf(key)];
    r.summary.delays.forEach((d, t) => {
      expect(Number(at(t, 'tau'))).toBe(t);
      expect(Number(at(t, 'sigma1'))).toBe(d.sigma1);
      expect(Number(at(t, 'sigma1_se'))).toBe(d.se?.sigma1?.se);
      expect(Number(at(t, 'sum'))).toBe(d.sum);
      expect(Number(at(t, 'pairs'))).toBe(r.counts.pairs[t]);
      expect(Number(at(t, 'class:noun-sg:sigma1'))).toBe(d.classes['noun-sg'].sigma1);
      expect(Number(at(t, 'class:noun-sg:pairs'))).toBe(r.counts.classPairs['noun-sg'][t]);
      expect(Number(at(t, 'word:dogs:sum'))).toBe(d.words.dogs.sum);
      expect(Number(at(t, 'property:sg-pl:m'))).toBe(d.properties['sg-pl'].m);
      expect(Number(at(t, 'property:common-proper:cos5'))).toBe(d.properties['common-proper'].cos[4]);
    });
  });

  it('CSV quotes names with commas or quotes, and leaves undefined values empty', () => {
    const r = structuredClone(run.record) as RunRecord;
    const old = r.config.classes[0].name;
    const odd = 'a,"b"';
    r.config.classes[0].name = odd;
    for (const d of r.summary.delays) {
      d.classes[odd] = d.classes[old];
      d.se = null;
    }
    const text = runToCsv(r);
    expect(text.split('\n')[0]).toContain('"class:a,""b"":sigma1"');
    const rows = parseCsv(text);
    expect(rows[0]).toContain(`class:${odd}:sigma1`);
    expect(rows[1][rows[0].indexOf('sigma1_se')]).toBe('');
  });

  it('JSON: the same rows under the same keys, with every column described', () => {
    const e = runToExport(run.record);
    const cols = exportColumns(run.record);
    expect(e.format).toBe('mnemoscope-run-export');
    expect(e.columns.map((c) => c.key)).toEqual(cols.map((c) => c.key));
    expect(e.columns.every((c) => c.description.length > 0)).toBe(true);
    expect(e.delays).toHaveLength(D + 1);
    expect(e.delays[2].sigma1).toBe(run.record.summary.delays[2].sigma1);
    expect(Object.keys(e.delays[0])).toEqual(cols.map((c) => c.key));
    expect(e.run).toMatchObject({ id: 'e', model: 'm', corpus: 'c', split: 'test' });
    expect(e.properties.map((x) => x.name)).toEqual(['sg-pl', 'common-proper']);
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });
});

describe('readRun refuses damaged run folders, naming the file', () => {
  const copy = async (name: string) => {
    const dir = path.join(p.root, name);
    await fs.cp(run.dir, dir, { recursive: true });
    return dir;
  };

  it('invalid JSON and invalid fields', async () => {
    const a = await copy('broken-json');
    await fs.writeFile(path.join(a, 'run.json'), '{"schemaVersion": 1,');
    await expect(readRunRecord(a)).rejects.toThrow(new RegExp(`${path.join(a, 'run.json')}: invalid JSON at line 1`));

    const b = await copy('bad-field');
    const rec = JSON.parse(await fs.readFile(path.join(b, 'run.json'), 'utf8'));
    rec.config.maxDelay = -3;
    await fs.writeFile(path.join(b, 'run.json'), JSON.stringify(rec));
    await expect(readRunRecord(b)).rejects.toThrow(/run\.json: invalid run\.json: config\.maxDelay/);
  });

  it('a newer schema version', async () => {
    const dir = await copy('newer');
    const rec = JSON.parse(await fs.readFile(path.join(dir, 'run.json'), 'utf8'));
    await fs.writeFile(path.join(dir, 'run.json'), JSON.stringify({ ...rec, schemaVersion: 2 }));
    await expect(readRunRecord(dir)).rejects.toThrow(/newer Mnemoscope \(run schema version 2/);
  });

  it('an array whose shape differs from run.json, and a missing array', async () => {
    const dir = await copy('shape');
    await writeNpy(path.join(dir, 'G.npy'), new Float32Array(6), [2, 3]);
    const data = await readRun(dir);
    await expect(data.readArray('G')).rejects.toThrow(/G\.npy: <f4 \[2, 3\] does not match run\.json, which lists <f4 \[5, 5, 6\]/);
    await fs.rm(path.join(dir, 'V.npy'));
    await expect(data.readArray('V')).rejects.toThrow(/V\.npy: \.npy file not found/);
  });
});
