// Analysis runs in a project. Running a sweep is a job.
import { z } from 'zod';
import { DeletedSchema, FolderPathSchema, ItemRefSchema, ProjectRefSchema } from './common';
import { ItemIdSchema, RunListingSchema } from '../schemas/project';
import { PartialRunRecordSchema, RunRecordSchema } from '../schemas/run';
import { RunFindingsSchema } from '../schemas/findings';
import { AblationRecordSchema } from '../schemas/ablation';

/** The settings that make two runs measure different things (DESIGN §3): compare with care. */
export const ComparabilitySettingSchema = z.enum(['cell', 'state', 'layer', 'normalisation', 'corpus', 'split']);
export type ComparabilitySetting = z.infer<typeof ComparabilitySettingSchema>;

export const ComparabilityWarningSchema = z.object({
  setting: ComparabilitySettingSchema,
  /** each run's value of the setting, in the order the runs were asked for */
  values: z.array(z.object({ run: ItemIdSchema, value: z.string() })),
  /** one sentence for people */
  message: z.string(),
});
export type ComparabilityWarning = z.infer<typeof ComparabilityWarningSchema>;

export const RunShowOutputSchema = z.object({
  record: RunRecordSchema,
  /** spectrum.npy: all singular values of each Ḡ_τ, descending, [delays][min(H, E)] */
  spectrum: z.array(z.array(z.number())),
});
export type RunShowOutput = z.infer<typeof RunShowOutputSchema>;

export const RunCompareOutputSchema = z.object({
  /**
   * run.json of each run, in the order asked for. The words aligned with the singular
   * directions are left out (every delay's `aligned` is []) to keep the reply small.
   */
  records: z.array(RunRecordSchema),
  warnings: z.array(ComparabilityWarningSchema),
  /** the findings check of each run (as runFindings gives it), in the order of `records` */
  findings: z.array(RunFindingsSchema),
});
export type RunCompareOutput = z.infer<typeof RunCompareOutputSchema>;

export const ExportFormatSchema = z.enum(['csv', 'json']);

export const RunExportOutputSchema = z.object({
  run: ItemIdSchema,
  format: ExportFormatSchema,
  /** The path asked for, made absolute on the engine's machine. */
  out: z.string(),
  /** The file written: `out` itself, or the regular file a symbolic link at `out` points to. */
  target: z.string(),
  /** One row per delay τ. */
  rows: z.number().int().nonnegative(),
  columns: z.number().int().nonnegative(),
});
export type RunExportOutput = z.infer<typeof RunExportOutputSchema>;

export const RunExportTextOutputSchema = z.object({
  run: ItemIdSchema,
  format: ExportFormatSchema,
  /** What runExport would write: the CSV, or the flat JSON, in full. */
  text: z.string(),
  /** A file name to offer when saving it: `<run>.csv` or `<run>.json`. */
  fileName: z.string(),
  rows: z.number().int().nonnegative(),
  columns: z.number().int().nonnegative(),
});
export type RunExportTextOutput = z.infer<typeof RunExportTextOutputSchema>;

/** At most this many runs in one comparison. */
export const MAX_COMPARED_RUNS = 12;

export const runProcedures = {
  runList: { input: ProjectRefSchema, output: z.array(RunListingSchema) },
  /** run.json in full, with the singular-value spectrum of every delay. */
  runShow: { input: z.strictObject({ project: FolderPathSchema, run: ItemIdSchema }), output: RunShowOutputSchema },
  /** Several runs side by side, with the settings in which they differ that make them not comparable. */
  runCompare: {
    input: z.strictObject({
      project: FolderPathSchema,
      runs: z
        .array(ItemIdSchema)
        .min(1, 'name at least one run')
        .max(MAX_COMPARED_RUNS, `compare at most ${MAX_COMPARED_RUNS} runs at once`)
        .refine((ids) => new Set(ids).size === ids.length, 'a run is named twice'),
    }),
    output: RunCompareOutputSchema,
  },
  /** run.json of a partial run (a shard of a sweep, `analyze --shard`), which runShow refuses: it has no results until merged. */
  runShowPartial: { input: z.strictObject({ project: FolderPathSchema, run: ItemIdSchema }), output: PartialRunRecordSchema },
  runDelete: { input: ItemRefSchema, output: DeletedSchema },
  /** The findings check: does the run agree with each published finding (holds true / false / null = cannot tell)? */
  runFindings: {
    input: z.strictObject({
      project: FolderPathSchema,
      run: ItemIdSchema,
      /** a context ablation of the same model, corpus and split: adds the row gradient-matches-behaviour */
      ablation: ItemIdSchema.optional(),
    }),
    output: RunFindingsSchema,
  },
  /** run.json of a context ablation (kind 'ablation'), which runShow refuses: Δ(τ) by class and group, T(k). */
  runShowAblation: { input: z.strictObject({ project: FolderPathSchema, run: ItemIdSchema }), output: AblationRecordSchema },
  /**
   * Writes a run's per-delay results as CSV or flat JSON to `out`, a path on the engine's
   * machine, atomically. Refuses (user error, nothing changed) a path that exists and is not
   * a regular file or a symbolic link to one; through a link, the link's target is replaced.
   * A path of the caller's choosing on the engine's machine: offered to the CLI and the
   * desktop app only (HOST_FILE_WRITERS, shared/names.ts); a browser asks for runExportText.
   */
  runExport: {
    input: z.strictObject({ project: FolderPathSchema, run: ItemIdSchema, format: ExportFormatSchema, out: FolderPathSchema }),
    output: RunExportOutputSchema,
  },
  /** What runExport writes, returned instead of written: the browser saves it itself. */
  runExportText: {
    input: z.strictObject({ project: FolderPathSchema, run: ItemIdSchema, format: ExportFormatSchema }),
    output: RunExportTextOutputSchema,
  },
};
