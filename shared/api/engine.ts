// Engine information and the user's settings.
import { z } from 'zod';
import { NoInputSchema } from './common';
import { SettingsPatchSchema, SettingsReplySchema } from '../settings';
import { BackendPreferenceSchema } from '../schemas/model';

export const BackendAttemptSchema = z.object({ backend: z.string(), ok: z.boolean(), reason: z.string() });

export const EngineInfoSchema = z.object({
  app: z.object({ name: z.string(), version: z.string() }),
  backend: z.object({
    name: z.string(),
    description: z.string(),
    attempts: z.array(BackendAttemptSchema),
    versions: z.record(z.string(), z.string()),
  }),
  /** What the GPU backend would need: the NVIDIA driver and the CUDA 11 / cuDNN 8 libraries. */
  cuda: z.object({ cudart11: z.boolean(), cudnn8: z.boolean(), driver: z.string().nullable() }),
  system: z.object({ platform: z.string(), cpus: z.number().int(), cpuModel: z.string(), memoryGiB: z.number() }),
  /** The sweep path `analyze --engine auto` (with this backend) takes here, its backend, and why. */
  sweep: z.object({ path: z.enum(['tensor', 'kernels']), backend: BackendPreferenceSchema, reason: z.string() }).optional(),
});
export type EngineInfo = z.infer<typeof EngineInfoSchema>;

export const engineProcedures = {
  /**
   * The engine's version, compute backend (with why the others were not chosen) and machine.
   * `backend` tries that one (as a job's backend option does) instead of the one in use.
   */
  engineInfo: { input: z.strictObject({ backend: BackendPreferenceSchema.optional() }), output: EngineInfoSchema },
  settingsGet: { input: NoInputSchema, output: SettingsReplySchema },
  /** Changes the fields given; returns the settings as saved. */
  settingsSet: { input: SettingsPatchSchema, output: SettingsReplySchema },
};
