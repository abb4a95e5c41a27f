// Child process: atomically write a large file in chunks, slowly, so it can be killed mid-write.
import { writeFileAtomic } from '../../../../main/engine/project/atomic-write';

const [target, chunks, fill] = [process.argv[2], Number(process.argv[3]), process.argv[4]];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function* data(): AsyncGenerator<Uint8Array> {
  for (let k = 0; k < chunks; k++) {
    yield Buffer.alloc(1 << 20, fill);
    if (k === 0) process.stdout.write('writing\n');
    await sleep(10);
  }
}

await writeFileAtomic(target, data());
process.stdout.write('done\n');
