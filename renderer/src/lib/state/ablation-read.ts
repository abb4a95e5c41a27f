// Reading context-ablation runs (issue 13) over the engine's API: run.json of an ablation
// (runShowAblation, which a sweep's runShow refuses), and the findings check of a sweep
// beside an ablation of the same model, corpus and split (runFindings with `ablation`).
import type { MnemoscopeApi } from '../../../../shared/contract';
import type { AblationRecord } from '../../../../shared/schemas/ablation';
import type { RunFindings } from '../../../../shared/schemas/findings';

export function readAblation(api: MnemoscopeApi, project: string, run: string): Promise<AblationRecord> {
  return api.runShowAblation({ project, run });
}

/** The sweep's findings with the rows that need the ablation beside it (gradient-matches-behaviour). */
export function checkPair(api: MnemoscopeApi, project: string, sweep: string, ablation: string): Promise<RunFindings> {
  return api.runFindings({ project, run: sweep, ablation });
}
