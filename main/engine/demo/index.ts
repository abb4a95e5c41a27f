// The demo project's public surface: installing it, where it lives, how it was made.
export { installDemoProject, type DemoInstallOptions, type DemoInstallProgress, type DemoInstallResult } from './install-demo';
export { defaultDemoProjectDir, userDataDir, findDemoSource, demoSourceCandidates, DEMO_FOLDER_NAME } from './demo-location';
export { readDemoManifest } from './read-demo-manifest';
export { DemoManifestSchema, DEMO_MANIFEST_VERSION, type DemoManifest, type DemoModel, type DemoRun } from './demo-manifest';
export {
  DEMO_CORPUS,
  DEMO_MODELS,
  DEMO_RUNS,
  DEMO_COMPARE,
  DEMO_SWEEP_PARAMS,
  DEMO_PROJECT_NAME,
  DEMO_FILES,
  type DemoModelSpec,
  type DemoRunSpec,
} from './demo-spec';
export { firstStart, FIRST_START_HASH, demoStartHash, type FirstStart } from './first-start';
