// What `analyze` and `ablate` share: the options that name a new run of a model over a corpus
// split, and running its engine job with the phase's progress on the progress line and the
// run's warnings held back (the command prints them with its table, or itself).
import path from 'node:path';
import { Option, type Command } from 'commander';
import type { JobParamsInput, JobResult } from '../../shared/jobs';
import type { AnalysisSplitSchema } from '../../shared/schemas/run';
import type { z } from 'zod';
import type { Engine } from '../engine/handlers/create-engine';
import type { CommandIO } from './command-runner';
import { runEngineJob } from './engine-job';

export interface RunTargetOpts {
  project: string;
  model: string;
  corpus: string;
  id: string;
  name?: string;
  split: z.infer<typeof AnalysisSplitSchema>;
  json?: boolean;
}

/** `a, b,,c` → ['a', 'b', 'c'] (a comma-separated option). */
export const commaList = (text: string) => text.split(',').map((w) => w.trim()).filter((w) => w !== '');

/** --project, --model, --corpus, --id, --name and --split; `help` says what the model and the corpus are for. */
export function addRunTargetOptions(command: Command, help: { model: string; corpus: string }): Command {
  return command
    .requiredOption('--project <dir>', 'the project folder')
    .requiredOption('--model <id>', help.model)
    .requiredOption('--corpus <id>', help.corpus)
    .requiredOption('--id <id>', 'an id for the new run')
    .option('--name <name>', 'a display name')
    .addOption(new Option('--split <name>', 'the split').choices(['valid', 'test']).default('test'));
}

/** The params every run job takes from RunTargetOpts (the project as an absolute path). */
export function runTargetParams(o: RunTargetOpts): Pick<JobParamsInput<'analyze'>, 'project' | 'model' | 'corpus' | 'id' | 'name' | 'split'> {
  return { project: path.resolve(o.project), model: o.model, corpus: o.corpus, id: o.id, ...(o.name !== undefined && { name: o.name }), split: o.split };
}

interface PhaseProgress {
  fraction: number;
  label: string;
  secondsLeft: number | null;
}

/** Runs the job; the progress line shows the current phase's fraction and label, and the log's 'warning: …' lines are returned, not printed. */
export async function runRunJob<K extends 'analyze' | 'ablate'>(
  engine: Engine,
  kind: K,
  params: JobParamsInput<K>,
  io: CommandIO,
): Promise<{ result: JobResult<K>; warnings: string[] }> {
  const warnings: string[] = [];
  const result = await runEngineJob(engine, kind, params, io, {
    onProgress: (p: PhaseProgress) => io.progress({ fraction: p.fraction, label: p.label, secondsLeft: p.secondsLeft }),
    onLog: (line) => (line.startsWith('warning: ') ? warnings.push(line) : io.info(line)),
  });
  return { result, warnings };
}
