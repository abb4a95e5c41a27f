// The user's settings (settings.json in the settings folder: see main/engine/user-folders.ts): UI state that belongs to the
// person, not to a project. Every field falls back to its default on its own, so one bad
// value (an older or hand-edited file) never costs the user the rest.
import { z } from 'zod';

export const MAX_RECENT_PROJECTS = 10;

export const RecentProjectSchema = z.strictObject({
  /** Absolute path of the project folder on the engine's machine. */
  dir: z.string().min(1),
  name: z.string(),
  opened: z.iso.datetime({ offset: true }),
});
export type RecentProject = z.infer<typeof RecentProjectSchema>;

export const WindowBoundsSchema = z.strictObject({
  width: z.number().int().min(200).max(100_000),
  height: z.number().int().min(200).max(100_000),
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  maximized: z.boolean().optional(),
});
export type WindowBounds = z.infer<typeof WindowBoundsSchema>;

export const ThemeSchema = z.enum(['system', 'light', 'dark']);

/** Reading: unknown keys are dropped, and a bad field falls back to its default. */
export const SettingsSchema = z.object({
  /** Most recent first, at most MAX_RECENT_PROJECTS, one entry per folder. A bad entry is dropped alone. */
  recentProjects: z
    .array(z.unknown())
    .catch([])
    .transform((items) =>
      items
        .flatMap((item) => {
          const parsed = RecentProjectSchema.safeParse(item);
          return parsed.success ? [parsed.data] : [];
        })
        .slice(0, MAX_RECENT_PROJECTS),
    ),
  /** The Electron window's last size and place; null until it was first closed. */
  window: WindowBoundsSchema.nullable().catch(null),
  theme: ThemeSchema.catch('system'),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = { recentProjects: [], window: null, theme: 'system' };

/** Writing: only the fields given change; the values must be valid (no silent fallback here). */
export const SettingsPatchSchema = z.strictObject({
  recentProjects: z.array(RecentProjectSchema).max(MAX_RECENT_PROJECTS).optional(),
  window: WindowBoundsSchema.nullable().optional(),
  theme: ThemeSchema.optional(),
});
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const SettingsReplySchema = z.object({
  settings: SettingsSchema,
  /** Where they are kept. */
  file: z.string(),
  /** Set when the file could not be read and the defaults are shown instead; the next change replaces it. */
  problem: z.string().nullable(),
});
export type SettingsReply = z.infer<typeof SettingsReplySchema>;
