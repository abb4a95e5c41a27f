// The renderer's side of the path fields: what a field asks the native dialog (a request
// main's schema accepts), a refusal's message without Electron's wrapping, the client's
// picker present only in Electron, and the aria wiring every form field shares.
import { describe, expect, it } from 'vitest';
import { PickPathRequestSchema, type DesktopApi, type PickPathRequest } from '../../../shared/desktop';
import type { PreloadApi } from '../../../shared/contract';
import { createPreloadClient } from '../../../renderer/src/lib/client/preload-client';
import { fieldAria } from '../../../renderer/src/lib/state/field-aria';
import {
  ALL_FILES,
  CORPUS_FILES,
  MODEL_FILES,
  VOCABULARY_FILES,
  pickFailureMessage,
  pickRequest,
} from '../../../renderer/src/lib/state/path-pick';

describe('the request a path field sends', () => {
  it('starts where the field points, and offers its file types before all files', () => {
    const request = pickRequest('open-file', 'Corpus file', '  /data/novels.txt ', [CORPUS_FILES]);
    expect(request).toEqual({ purpose: 'open-file', title: 'Corpus file', defaultPath: '/data/novels.txt', filters: [CORPUS_FILES, ALL_FILES] });
  });

  it('leaves the start out for an empty field, and file types out of a folder dialog', () => {
    expect(pickRequest('open-directory', 'Project folder', '   ', [CORPUS_FILES])).toEqual({ purpose: 'open-directory', title: 'Project folder' });
    expect(pickRequest('save-file', 'Export', '')).toEqual({ purpose: 'save-file', title: 'Export', filters: [ALL_FILES] });
  });

  it('lists all files once, even when the field already gave that filter', () => {
    const { filters } = pickRequest('open-file', 'x', '', [ALL_FILES, MODEL_FILES]);
    expect(filters).toEqual([MODEL_FILES, ALL_FILES]);
  });

  it("passes main's own validation for every field's file types", () => {
    for (const filter of [CORPUS_FILES, MODEL_FILES, VOCABULARY_FILES]) {
      for (const purpose of ['open-file', 'open-directory', 'save-file'] as const) {
        const parsed = PickPathRequestSchema.safeParse(pickRequest(purpose, 'A title', '/somewhere', [filter]));
        expect(parsed.success, `${purpose} ${filter.name}`).toBe(true);
      }
    }
  });

  it("shows main's refusal without Electron's wrapping", () => {
    const wrapped = new Error("Error invoking remote method 'mnemoscope:desktop:pickPath': Error: pickPath: invalid request: title: Too small");
    expect(pickFailureMessage(wrapped)).toBe('pickPath: invalid request: title: Too small');
    expect(pickFailureMessage(new Error('the dialog is busy'))).toBe('the dialog is busy');
    expect(pickFailureMessage('plain')).toBe('plain');
  });
});

describe("the client's path picker", () => {
  const preload = {} as PreloadApi;

  it('is there in Electron when the preload exposes it, and forwards the request and the answer', async () => {
    const seen: PickPathRequest[] = [];
    const desktop: DesktopApi = {
      pickPath: async (request) => {
        seen.push(request);
        return request.purpose === 'open-directory' ? '/home/ada/study' : null;
      },
    };
    const client = createPreloadClient(preload, desktop);
    expect(client.transport).toBe('electron');
    expect(await client.pickPath!({ purpose: 'open-directory', title: 'Folder' })).toBe('/home/ada/study');
    expect(await client.pickPath!({ purpose: 'open-file', title: 'File' })).toBeNull();
    expect(seen.map((r) => r.purpose)).toEqual(['open-directory', 'open-file']);
  });

  it('is absent when the preload has no desktop API', () => {
    expect(createPreloadClient(preload).pickPath).toBeNull();
    expect(createPreloadClient(preload, {} as DesktopApi).pickPath).toBeNull();
  });
});

describe('form field aria wiring', () => {
  it('points at the error when there is one, else at the help line', () => {
    expect(fieldAria('ci-path', 'required', 'A text file.')).toEqual({ 'aria-describedby': 'ci-path-error', 'aria-invalid': 'true' });
    expect(fieldAria('ci-path', null, 'A text file.')).toEqual({ 'aria-describedby': 'ci-path-help', 'aria-invalid': undefined });
    expect(fieldAria('ci-path', '', undefined)).toEqual({ 'aria-describedby': undefined, 'aria-invalid': undefined });
  });
});
