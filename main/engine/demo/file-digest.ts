// sha256 and size of a file, streamed: what demo.json records and the installer checks.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { openRegularFileStream } from '../project/safe-open';
import type { DemoFile } from './demo-manifest';

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  const { stream } = await openRegularFileStream(file);
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Size and digest of `dir/name`, recorded under `name`. */
export async function describeFile(dir: string, name: string): Promise<DemoFile> {
  const full = path.join(dir, name);
  const { stream, size } = await openRegularFileStream(full);
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return { file: name, bytes: size, sha256: hash.digest('hex') };
}
