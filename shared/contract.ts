// The typed contract between the UI and the engine: every procedure's input and output
// as zod schemas, the types inferred from them. Main validates every request with these
// schemas before a handler runs; the renderer imports only types.
import { z } from 'zod';

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

export const procedures = {
  engineInfo: { input: z.object({}).strict(), output: EngineInfoSchema },
} as const;

export type ProcedureName = keyof typeof procedures;
export type ProcedureInput<N extends ProcedureName> = z.infer<(typeof procedures)[N]['input']>;
export type ProcedureOutput<N extends ProcedureName> = z.infer<(typeof procedures)[N]['output']>;

/** The API the preload exposes on window.mnemoscope: one named function per procedure. */
export type MnemoscopeApi = { [N in ProcedureName]: (input: ProcedureInput<N>) => Promise<ProcedureOutput<N>> };

export const IPC_PREFIX = 'mnemoscope:';
