// The engine's implementation of the contract's procedures. Transports (Electron IPC,
// WebSocket, direct calls) validate the input with the contract's schema, then call these.
import { procedures, type ProcedureName, type ProcedureInput, type ProcedureOutput } from '../../shared/contract';
import { selectBackend } from './model/backend';
import { APP } from './app-version';
import { UserError } from './jobs/errors';

type Handlers = { [N in ProcedureName]: (input: ProcedureInput<N>) => Promise<ProcedureOutput<N>> };

export const handlers: Handlers = {
  engineInfo: async () => {
    const backend = await selectBackend();
    return { app: APP, backend };
  },
};

/** Validates a request against the contract and runs its handler. */
export async function callProcedure(name: string, rawInput: unknown): Promise<unknown> {
  if (!Object.hasOwn(procedures, name)) throw new UserError(`unknown procedure '${name}'`);
  const proc = name as ProcedureName;
  const parsed = procedures[proc].input.safeParse(rawInput ?? {});
  if (!parsed.success) throw new UserError(`invalid request for '${name}': ${parsed.error.message}`);
  const output = await (handlers[proc] as (i: unknown) => Promise<unknown>)(parsed.data);
  return procedures[proc].output.parse(output);
}
