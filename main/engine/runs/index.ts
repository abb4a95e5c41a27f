// Analysis runs on disk (DESIGN §2, issue 3 §3): running one as a job, reading and exporting it.
export { analyzeRun, parseAnalyzeParams, type AnalyzeResult } from './analyze-run';
export { runAnalysis, type AnalyzeControl } from './start-analysis';
export { readRun, readRunRecord, withDecayModels, type RunData } from './read-run';
export { exportRun, runToCsv, runToExport, EXPORT_FORMATS, type ExportFormat, type RunExport } from './export-run';
export { exportColumns, exportRows, type ExportColumn } from './export-columns';
export { formatRunTable } from './run-table';
export { checkFindings, FINDING_INFO } from './findings';
