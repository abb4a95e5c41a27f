// The demo project's public surface: installing it, where it lives, how it was made.
export { installDemoProject, type DemoInstallOptions, type DemoInstallProgress, type DemoInstallResult } from './install-demo';
export { defaultDemoProjectDir, userDataDir, findDemoSource, demoSourceCandidates, DEMO_FOLDER_NAME } from './demo-location';
export { readDemoManifest } from './read-demo-manifest';
export { DemoManifestSchema, type DemoManifest } from './demo-manifest';
export { DEMO_CORPUS, DEMO_MODEL, DEMO_RUN, DEMO_PROJECT_NAME, DEMO_FILES } from './demo-spec';
export { firstStart, FIRST_START_HASH, type FirstStart } from './first-start';
