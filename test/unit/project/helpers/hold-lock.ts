// Child process: open a project, hold its write lock until stdin says "release".
import { openProject } from '../../../../main/engine/project/project-store';

const store = await openProject(process.argv[2]);
await store.withWriteLock(async () => {
  process.stdout.write('locked\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
});
process.stdout.write('released\n');
process.stdin.destroy();
