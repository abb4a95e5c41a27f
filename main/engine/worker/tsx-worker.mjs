// Worker entry when the engine runs from TypeScript sources (tests, `tsx` CLI): Node 20
// ignores `--import tsx` in a Worker's execArgv (nodejs/node#47747), so the worker
// registers tsx itself before loading the real entry.
import { register } from 'tsx/esm/api';

register();
await import('./worker-entry.ts');
