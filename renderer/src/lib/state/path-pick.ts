// What a path field asks the native dialog (Electron only, shared/desktop.ts): the dialog
// starts where the field's text points, file dialogs list the field's file types and then
// every file, and a refusal from main is shown without Electron's wrapping.
import type { FileFilter, PickPathRequest, PickPurpose } from '../../../../shared/desktop';

export const ALL_FILES: FileFilter = { name: 'All files', extensions: ['*'] };

/** Corpus formats are detected from the text, not the name: these are only the usual endings. */
export const CORPUS_FILES: FileFilter = { name: 'Corpus text (plain, word/TAG, CoNLL-U)', extensions: ['txt', 'conllu', 'conll', 'tsv', 'pos'] };
/** The import form tells the formats apart by the first bytes; these are only the usual endings. */
export const MODEL_FILES: FileFilter = {
  name: 'Language model (.pt, .pth, .safetensors, .onnx, model.json)',
  extensions: ['pt', 'pth', 'safetensors', 'onnx', 'json'],
};
export const VOCABULARY_FILES: FileFilter = { name: 'Vocabulary (vocab.json or one word a line)', extensions: ['json', 'txt', 'vocab'] };

export function pickRequest(purpose: PickPurpose, title: string, current: string, filters: readonly FileFilter[] = []): PickPathRequest {
  const start = current.trim();
  return {
    purpose,
    title,
    ...(start !== '' && { defaultPath: start }),
    ...(purpose !== 'open-directory' && { filters: [...filters.filter((f) => !f.extensions.includes('*')), ALL_FILES] }),
  };
}

const ELECTRON_WRAPPING = /^Error invoking remote method '[^']*': (?:[A-Za-z]*Error: )?/;

/** "Error invoking remote method 'mnemoscope:desktop:pickPath': Error: pickPath: …" → "pickPath: …" */
export function pickFailureMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(ELECTRON_WRAPPING, '');
}
