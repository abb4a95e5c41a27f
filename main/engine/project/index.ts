// The project store's public surface, for the CLI, the server and the other engine modules.
export { createProject, openProject, ProjectStore } from './project-store';
export type { CleanupReport, ProjectOptions, StagedItem, StageOptions } from './project-store';
export { readJsonFile, parseJsonText, validateJson } from './read-json';
export { writeFileAtomic, writeJsonAtomic } from './atomic-write';
export type { AtomicData, AtomicWriteOptions } from './atomic-write';
export { writeOutputFile, resolveOutputTarget, type OutputTarget } from './output-file';
export { readNpy, writeNpy, encodeNpy, decodeNpy, npyHeader } from './npy';
export type { NpyArray, NpyData, NpyDtype } from './npy';
export { ITEM_META_FILE, MANIFEST_FILE, LOCK_FILE } from './layout';
