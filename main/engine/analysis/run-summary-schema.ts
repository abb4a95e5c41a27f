// The run summary schema lives in shared/ (it is part of the run.json format that the UI
// reads too); re-exported here so the analysis module keeps one import path.
export * from '../../../shared/schemas/run-summary';
