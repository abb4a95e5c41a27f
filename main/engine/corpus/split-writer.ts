// Writes one split's token and tag files as sentences arrive, buffering a little and
// waiting for the disk when it falls behind, so memory stays flat whatever the corpus size.
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { SplitName } from '../../../shared/schemas/corpus';
import { tagsFile, tokensFile, utagsFile } from './corpus-files';

const FLUSH_CHARS = 1 << 18;

class BufferedLines {
  private parts: string[] = [];
  private chars = 0;
  private readonly stream: WriteStream;
  private error: Error | null = null;
  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { encoding: 'utf8' });
    // Kept, not thrown from the event: the next flush or close reports it (e.g. disk full).
    this.stream.on('error', (err) => {
      this.error ??= err;
    });
  }
  private check(): void {
    if (this.error) throw this.error;
  }
  add(line: string): void {
    this.parts.push(line);
    this.chars += line.length + 1;
  }
  get full(): boolean {
    return this.chars >= FLUSH_CHARS;
  }
  async flush(): Promise<void> {
    this.check();
    if (this.parts.length === 0) return;
    const text = this.parts.join('\n') + '\n';
    this.parts = [];
    this.chars = 0;
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }
  async close(): Promise<void> {
    await this.flush();
    // Wait for 'close', not just 'finish': the caller renames the folder next, which
    // fails on Windows while a handle is open.
    const closed = this.stream.closed ? Promise.resolve() : new Promise<void>((resolve) => this.stream.once('close', () => resolve()));
    this.stream.end();
    await closed;
    this.check();
  }
  /** Stops writing (after a failure) and waits until the file is closed, so it can be removed. */
  async destroy(): Promise<void> {
    if (this.stream.closed) return;
    const closed = new Promise<void>((resolve) => this.stream.once('close', () => resolve()));
    this.stream.destroy();
    await closed;
  }
}

export class SplitWriter {
  private readonly tokens: BufferedLines;
  private readonly tags: BufferedLines | null;
  private readonly utags: BufferedLines | null;

  constructor(dir: string, split: SplitName, withTags: boolean, withUniversal: boolean) {
    this.tokens = new BufferedLines(tokensFile(dir, split));
    this.tags = withTags ? new BufferedLines(tagsFile(dir, split)) : null;
    this.utags = withUniversal ? new BufferedLines(utagsFile(dir, split)) : null;
  }

  /** The files this writer creates. */
  get paths(): string[] {
    return [this.tokens, this.tags, this.utags].filter((b) => b !== null).map((b) => b.path);
  }

  add(words: readonly string[], tags: readonly string[] | null, universal: readonly string[] | null): void {
    this.tokens.add(words.join(' '));
    if (this.tags && tags) this.tags.add(tags.join(' '));
    if (this.utags && universal) this.utags.add(universal.join(' '));
  }

  /** Call between batches: writes out what is buffered once it is large enough. */
  async maybeFlush(): Promise<void> {
    for (const b of [this.tokens, this.tags, this.utags]) if (b && b.full) await b.flush();
  }

  async close(): Promise<void> {
    for (const b of [this.tokens, this.tags, this.utags]) if (b) await b.close();
  }

  async destroy(): Promise<void> {
    for (const b of [this.tokens, this.tags, this.utags]) await b?.destroy();
  }
}
