// `mnemoscope corpus add|show|classes`: bring a corpus into a project and look at it, through
// the engine's API as the app does (the import-corpus job, corpusShow, classSetAdd).
import path from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { runCommand, intOption, type CommandIO } from '../command-runner';
import { runEngineJob, withEngine } from '../engine-job';
import { UserError } from '../../engine/errors';
import { shown } from '../terminal-text';
import type { JobProgressDetail } from '../../../shared/jobs';
import type { JobProgressEvent } from '../../../shared/events';
import type { CorpusImportSourceRequest } from '../../../shared/job-kinds/import-corpus';
import { TagsetSchema, type Tagset, type UserFormat } from '../../../shared/schemas/corpus';
import { formatCorpusStats, formatRankBands } from '../format-stats';

interface AddOpts {
  project: string;
  id: string;
  name?: string;
  builtin?: string;
  file?: string;
  train?: string;
  valid?: string;
  test?: string;
  ratio?: string;
  format?: UserFormat;
  tagset?: Tagset;
  statsVocab?: number;
  maxFiles?: number;
  lowercase: boolean;
  numbers: boolean;
  eos: boolean;
  json?: boolean;
}

function sourceFrom(opts: AddOpts): CorpusImportSourceRequest {
  const given = [opts.builtin && '--builtin', opts.file && '--file', opts.train && '--train'].filter(Boolean);
  if (given.length !== 1) {
    throw new UserError('give exactly one source: --builtin brown, --file PATH, or --train/--valid/--test PATHs');
  }
  if (opts.builtin) {
    if (opts.builtin !== 'brown') throw new UserError(`unknown built-in corpus '${opts.builtin}' (available: brown)`);
    return { kind: 'builtin-brown', maxFiles: opts.maxFiles };
  }
  if (opts.maxFiles !== undefined) throw new UserError('--max-files applies to --builtin brown only');
  if (opts.file) {
    return { kind: 'file', path: path.resolve(opts.file), ratio: opts.ratio ? parseRatio(opts.ratio) : undefined };
  }
  if (!opts.valid || !opts.test) throw new UserError('--train needs --valid and --test as well');
  return {
    kind: 'files',
    train: path.resolve(opts.train as string),
    valid: path.resolve(opts.valid),
    test: path.resolve(opts.test),
  };
}

function parseRatio(text: string): [number, number, number] {
  const parts = text.split(/[:/,]/).map(Number);
  if (parts.length !== 3 || parts.some((x) => !Number.isFinite(x) || x < 0) || parts[0] <= 0) {
    throw new UserError(`--ratio must be three non-negative numbers like 80:10:10, got '${text}'`);
  }
  return parts as [number, number, number];
}

function importProgress(io: CommandIO): (p: JobProgressDetail<'import-corpus'>, e: JobProgressEvent) => void {
  return (p, e) => {
    io.progress({ fraction: e.fraction, label: `${[p.phase, p.split, path.basename(p.file)].filter(Boolean).join(' ')}, ${p.linesRead} lines`, secondsLeft: e.secondsLeft });
  };
}

export function registerCorpus(program: Command): void {
  const corpus = program.command('corpus').description('import and inspect corpora');

  corpus
    .command('add')
    .description('import a corpus into the project (built-in Brown, or your own files)')
    .requiredOption('--project <dir>', 'the project folder')
    .requiredOption('--id <id>', 'an id for the corpus in this project')
    .option('--name <name>', 'a display name (default: the id)')
    .option('--builtin <name>', "a built-in corpus: 'brown' (POS-tagged Brown corpus, 500 files)")
    .option('--max-files <n>', 'Brown only: use N files, balanced across genres and splits', intOption('max-files', 3))
    .option('--file <path>', 'one file, cut into train/valid/test by --ratio')
    .option('--ratio <r>', 'train:valid:test ratio for --file (default 80:10:10, by sentence, contiguous)')
    .option('--train <path>', 'the training split as its own file (with --valid and --test)')
    .option('--valid <path>', 'the validation split file')
    .option('--test <path>', 'the test split file')
    .addOption(new Option('--format <format>', 'file format (default: detected)').choices(['plain', 'tagged', 'conllu']))
    .addOption(
      new Option('--tagset <name>', "the tagset of your files' tags; 'none' ignores them (default: detected)").choices(
        TagsetSchema.options.filter((t) => t !== 'unknown'),
      ),
    )
    .option('--stats-vocab <k>', 'K of the top-K OOV rate in the statistics (default 10000)', intOption('stats-vocab'))
    .option('--no-lowercase', 'keep the case of words')
    .option('--no-numbers', "keep numbers as they are (default: every number becomes 'N')")
    .option('--no-eos', 'do not mark sentence ends with <eos>')
    .option('--json', 'print one JSON object')
    .action(async (opts: AddOpts) => {
      process.exitCode = await runCommand(opts, async (io) => {
        const source = sourceFrom(opts);
        const { corpus: meta } = await withEngine((engine) =>
          runEngineJob(
            engine,
            'import-corpus',
            {
              project: path.resolve(opts.project),
              id: opts.id,
              ...(opts.name !== undefined && { name: opts.name }),
              source,
              format: opts.format,
              tagset: opts.tagset,
              preprocessing: { lowercase: opts.lowercase, numbers: opts.numbers, eos: opts.eos },
              statsVocabSize: opts.statsVocab,
            },
            io,
            { onProgress: importProgress(io) },
          ),
        );
        return { json: { corpus: meta }, text: `imported corpus '${opts.id}'\n${formatCorpusStats(meta)}` };
      });
    });

  corpus
    .command('show')
    .description('statistics of a corpus: tokens, types, OOV rate per split, tag distribution, class sets')
    .requiredOption('--project <dir>', 'the project folder')
    .requiredOption('--id <id>', 'the corpus id')
    .option('--json', 'print one JSON object')
    .action(async (opts: { project: string; id: string; json?: boolean }) => {
      process.exitCode = await runCommand(opts, async () => {
        // Adds the frequency set to a corpus imported before it existed (a note says when it could not be stored).
        const { corpus: manifest, classSets } = await withEngine((engine) =>
          engine.api.corpusShow({ project: path.resolve(opts.project), id: opts.id }),
        );
        const notes = classSets.flatMap((c) => (c.note ? [`${c.id}: ${c.note}`] : []));
        const text = [
          formatCorpusStats(manifest),
          `class sets: ${classSets.map((c) => `${c.id} (${Object.keys(c.sizes).length} classes)`).join(', ') || '(none)'}`,
          ...classSets.filter((c) => c.bands).map(formatRankBands),
          ...notes.map((n) => `note: ${n}`),
        ].join('\n');
        return { json: { corpus: manifest, classSets }, text };
      });
    });

  corpus
    .command('classes')
    .description('add a user-defined class set from a word list (one word per line, or word<TAB>class)')
    .requiredOption('--project <dir>', 'the project folder')
    .requiredOption('--corpus <id>', 'the corpus the classes belong to')
    .requiredOption('--id <id>', 'an id for the class set (not upos, paper or frequency: those are built in)')
    .requiredOption('--words <path>', 'the word list file')
    .option('--class <name>', 'class name for lines without a class column', 'words')
    .option('--name <name>', 'a display name')
    .option('--replace', 'replace the corpus\'s class set of the same id (never a built-in one)')
    .option('--json', 'print one JSON object')
    .action(
      async (opts: {
        project: string;
        corpus: string;
        id: string;
        words: string;
        class: string;
        name?: string;
        replace?: boolean;
        json?: boolean;
      }) => {
        // Through the engine's API (classSetAdd), which refuses an existing id without --replace.
        process.exitCode = await runCommand(opts, async () => {
          const { classSet: set, replaced } = await withEngine((engine) =>
            engine.api.classSetAdd({
              project: path.resolve(opts.project),
              corpus: opts.corpus,
              id: opts.id,
              words: path.resolve(opts.words),
              defaultClass: opts.class,
              ...(opts.name !== undefined && { name: opts.name }),
              replace: opts.replace === true,
            }),
          );
          const sizes = Object.entries(set.classes).map(([k, v]) => `${shown(k)}: ${v.length} words`);
          const verb = replaced ? 'replaced' : 'added';
          return {
            json: { classSet: set, replaced },
            text: `${verb} class set '${shown(set.id)}' ${replaced ? 'of' : 'to'} corpus '${shown(opts.corpus)}'\n${sizes.join('\n')}`,
          };
        });
      },
    );
}
