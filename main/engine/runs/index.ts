// Analysis runs on disk (DESIGN §2, issue 3 §3): running one as a job, reading and exporting it.
export { sweepTask, shardSweepTask, parseAnalyzeParams, type SweepResult, type ShardSweepResult } from './sweep-task';
export { runTasks } from './tasks';
export { mergeTask, type MergeParams, type MergeResult } from './merge-runs';
export { readPartialRunRecord, readRun, readRunRecord, withDecayModels, type RunData } from './read-run';
export { exportRun, runToCsv, runToExport, EXPORT_FORMATS, type ExportFormat, type RunExport } from './export-run';
export { exportColumns, exportRows, type ExportColumn } from './export-columns';
export { formatRunTable } from './run-table';
export { checkFindings, FINDING_INFO } from './findings';
