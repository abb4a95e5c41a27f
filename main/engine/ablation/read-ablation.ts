// Reading an ablation run back: run.json validated against AblationRecordSchema; a sweep or a
// newer ablation format is refused by name.
import path from 'node:path';
import { UserError } from '../errors';
import { parseJsonText, readTextFile, validateJson } from '../project/read-json';
import { ITEM_META_FILE } from '../project/layout';
import { ablationRecordProblem, runKindOf } from '../project/project-store';
import { AblationRecordSchema, type AblationRecord } from '../../../shared/schemas/ablation';

export async function readAblationRecord(dir: string): Promise<AblationRecord> {
  const file = path.join(dir, ITEM_META_FILE.run);
  const value = parseJsonText(file, await readTextFile(file, 'run.json'));
  if (runKindOf(value) !== 'ablation') {
    const id = (value as { id?: unknown } | null)?.id;
    throw new UserError(`run '${typeof id === 'string' ? id : path.basename(dir)}' is a state-gradient sweep, not a context ablation (made by 'mnemoscope ablate')`);
  }
  const problem = ablationRecordProblem(file, value);
  if (problem) throw new UserError(problem);
  return validateJson(file, value, AblationRecordSchema, 'run.json');
}
