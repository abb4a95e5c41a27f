// Listing, showing, comparing, checking against the paper (runs/findings.ts) and deleting runs. Running a sweep is a job.
import path from 'node:path';
import { readPartialRunRecord, readRun } from '../runs/read-run';
import { checkFindings, checkFindingsWithAblation } from '../runs/findings';
import { readAblationRecord } from '../ablation/read-ablation';
import { exportRun } from '../runs/export-run';
import { exportColumns } from '../runs/export-columns';
import { writeOutputFile } from '../project/output-file';
import type { RunRecord } from '../../../shared/schemas/run';
import { comparabilityWarnings } from './run-comparability';
import type { EngineContext, HandlerGroup } from './types';

/** Rows of a 2-D array, as plain numbers. */
function rows(data: ArrayLike<number>, shape: readonly number[]): number[][] {
  const [n, m] = shape;
  const out: number[][] = [];
  for (let i = 0; i < n; i++) out.push(Array.from({ length: m }, (_, j) => data[i * m + j]));
  return out;
}

/** The record without the aligned words (the bulk of run.json), which a comparison does not show. */
function withoutAlignedWords(record: RunRecord): RunRecord {
  return { ...record, summary: { ...record.summary, delays: record.summary.delays.map((d) => ({ ...d, aligned: [] })) } };
}

export function runHandlers(
  ctx: EngineContext,
): HandlerGroup<'runList' | 'runShow' | 'runShowPartial' | 'runShowAblation' | 'runCompare' | 'runDelete' | 'runFindings' | 'runExport' | 'runExportText'> {
  const openRun = async (project: string, id: string) => {
    const store = await ctx.projects.get(project);
    await store.requireItem('run', id);
    return readRun(store.itemDir('run', id));
  };

  const openAblation = async (project: string, id: string) => {
    const store = await ctx.projects.get(project);
    await store.requireItem('run', id);
    return readAblationRecord(store.itemDir('run', id));
  };

  return {
    runList: async ({ project }) => (await ctx.projects.get(project)).listRuns(),
    runShow: async ({ project, run }) => {
      const data = await openRun(project, run);
      const spectrum = await data.readArray('spectrum');
      return { record: data.record, spectrum: rows(spectrum.data, spectrum.shape) };
    },
    runShowPartial: async ({ project, run }) => {
      const store = await ctx.projects.get(project);
      await store.requireItem('run', run);
      return readPartialRunRecord(store.itemDir('run', run));
    },
    runCompare: async ({ project, runs }) => {
      const records: RunRecord[] = [];
      for (const id of runs) records.push((await openRun(project, id)).record);
      return { records: records.map(withoutAlignedWords), warnings: comparabilityWarnings(records), findings: records.map(checkFindings) };
    },
    runFindings: async ({ project, run, ablation }) => {
      const { record } = await openRun(project, run);
      if (ablation === undefined) return checkFindings(record);
      return checkFindingsWithAblation(record, await openAblation(project, ablation));
    },
    runShowAblation: async ({ project, run }) => openAblation(project, run),
    // Written by the rules of project/output-file.ts: never over a folder, FIFO or device.
    runExport: async ({ project, run, format, out }) => {
      const { record } = await openRun(project, run);
      const written = await writeOutputFile(path.resolve(out), exportRun(record, format));
      return { run, format, out: written.requested, target: written.target, rows: record.summary.delays.length, columns: exportColumns(record).length };
    },
    runExportText: async ({ project, run, format }) => {
      const { record } = await openRun(project, run);
      const text = exportRun(record, format);
      return { run, format, text, fileName: `${run}.${format}`, rows: record.summary.delays.length, columns: exportColumns(record).length };
    },
    runDelete: async ({ project, id }) => {
      await (await ctx.projects.get(project)).deleteItem('run', id);
      return { deleted: id };
    },
  };
}
