// The desktop-only API: what the Electron app offers beyond the engine's contract. It is not
// part of the contract because it cannot be: in browser mode the engine runs on another
// machine, whose dialogs the person in front of the browser would never see. The preload
// exposes it on window[DESKTOP_GLOBAL] (names.ts); main validates every request with these
// schemas (main/electron/dialogs.ts). The renderer and the preload import types only.
import { z } from 'zod';

export const PICK_PURPOSES = ['open-file', 'open-directory', 'save-file'] as const;
export type PickPurpose = (typeof PICK_PURPOSES)[number];

export const FileFilterSchema = z.strictObject({
  /** What the person sees in the dialog's type list: 'Text files'. */
  name: z.string().min(1).max(200),
  /** Without the dot ('txt', 'conllu'), or '*' for every file. */
  extensions: z
    .array(z.string().regex(/^(\*|[A-Za-z0-9][A-Za-z0-9._-]{0,31})$/, "an extension without the dot ('txt'), or '*'"))
    .min(1)
    .max(50),
});
export type FileFilter = z.infer<typeof FileFilterSchema>;

export const PickPathRequestSchema = z.strictObject({
  purpose: z.enum(PICK_PURPOSES),
  /** The dialog's title. */
  title: z.string().min(1).max(200),
  /** The folder or file the dialog starts at (the field's current text, when it has one). */
  defaultPath: z.string().min(1).max(4096).optional(),
  /** File types for 'open-file' and 'save-file' (a folder dialog ignores them). */
  filters: z.array(FileFilterSchema).max(20).optional(),
});
export type PickPathRequest = z.infer<typeof PickPathRequestSchema>;

/** Shows a native dialog; resolves with the chosen path, or null when the person cancelled. */
export type PickPath = (request: PickPathRequest) => Promise<string | null>;

/** What the Electron preload exposes on window[DESKTOP_GLOBAL]. */
export interface DesktopApi {
  pickPath: PickPath;
}
