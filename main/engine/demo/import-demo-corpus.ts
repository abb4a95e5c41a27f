// The demo's corpus: the built-in Brown corpus, imported with the default preprocessing
// under the demo's id. The build script and the installer share this, so the corpus a
// user gets is the one the shipped model was trained on, byte for byte (the installer
// checks the token files against the digests in demo.json).
import type { CorpusManifest } from '../../../shared/schemas/corpus';
import type { CancelToken } from '../cancel-token';
import type { ImportCorpusParams, ImportProgress } from '../corpus';
import { corpusTasks } from '../corpus/tasks';
import { runInWorker } from '../jobs/run-in-worker';
import type { ProjectStore } from '../project';
import { DEMO_CORPUS } from './demo-spec';

export interface CorpusImportControl {
  cancel?: CancelToken;
  onProgress?: (p: ImportProgress) => void;
}

/** Writes the corpus folder into `outDir` (a staging folder of the project store), in a worker. */
export function writeDemoCorpus(outDir: string, control: CorpusImportControl = {}): Promise<CorpusManifest> {
  const params: ImportCorpusParams = {
    source: DEMO_CORPUS.source,
    options: { id: DEMO_CORPUS.id, name: DEMO_CORPUS.name },
    outDir,
  };
  return runInWorker(corpusTasks.importCorpus, params, control);
}

/** Adds the corpus to a project that does not have it yet. */
export async function importDemoCorpus(store: ProjectStore, control: CorpusImportControl = {}): Promise<CorpusManifest> {
  const staged = await store.stageItem('corpus', DEMO_CORPUS.id, (outDir) => writeDemoCorpus(outDir, control), {
    name: DEMO_CORPUS.name,
    cancel: control.cancel,
  });
  return staged.meta;
}
