// Engine information and the user's settings.
import { z } from 'zod';
import { NoInputSchema } from './common';
import { SettingsPatchSchema, SettingsReplySchema } from '../settings';

export const BackendAttemptSchema = z.object({ backend: z.string(), ok: z.boolean(), reason: z.string() });

export const EngineInfoSchema = z.object({
  app: z.object({ name: z.string(), version: z.string() }),
  backend: z.object({
    name: z.string(),
    description: z.string(),
    attempts: z.array(BackendAttemptSchema),
    versions: z.record(z.string(), z.string()),
  }),
});
export type EngineInfo = z.infer<typeof EngineInfoSchema>;

export const engineProcedures = {
  engineInfo: { input: NoInputSchema, output: EngineInfoSchema },
  settingsGet: { input: NoInputSchema, output: SettingsReplySchema },
  /** Changes the fields given; returns the settings as saved. */
  settingsSet: { input: SettingsPatchSchema, output: SettingsReplySchema },
};
