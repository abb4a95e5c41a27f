// Step 1: generate the three splits into a temporary folder and import them as an ordinary
// corpus (plain text, no <eos>: the episodes form one stream), with the `synthetic` class
// set and synthetic.json (the generator's parameters and the analytic floor) beside it.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CorpusManifest, SplitName } from '../../../shared/schemas/corpus';
import { importCorpus, writeClassSet } from '../corpus';
import { writeJsonAtomic } from '../project';
import { syntheticClassSet } from './class-set';
import { type EntropyFloor, empiricalFloor, entropyFloor } from './entropy-floor';
import { type Episode, episodesText, generateSplit } from './generator';
import type { ResolvedOptions } from './options';
import type { SyntheticSpec } from './spec';

export const SYNTHETIC_FILE = 'synthetic.json';

export interface GeneratedCorpus {
  manifest: CorpusManifest;
  floor: EntropyFloor;
  /** the ideal predictor's cross-entropy (nats/token) on each generated split */
  empiricalFloor: Record<SplitName, number>;
  tokens: Record<SplitName, number>;
}

export interface SyntheticCorpusFile {
  kind: 'mnemoscope-synthetic-corpus';
  version: 1;
  spec: SyntheticSpec;
  seed: number;
  sentences: Record<SplitName, number>;
  floor: EntropyFloor;
  empiricalFloor: Record<SplitName, number>;
  layout: string;
}

const SPLITS: SplitName[] = ['train', 'valid', 'test'];

/** Writes the corpus into `outDir` (a staging folder of the project store). */
export async function writeSyntheticCorpus(o: ResolvedOptions, outDir: string): Promise<GeneratedCorpus> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'mnemoscope-synthetic-'));
  try {
    const episodes = {} as Record<SplitName, Episode[]>;
    const files = {} as Record<SplitName, string>;
    for (const split of SPLITS) {
      episodes[split] = generateSplit(o.spec, split, o.sentences[split], o.seed);
      files[split] = path.join(tmp, `${split}.txt`);
      await fs.writeFile(files[split], episodesText(episodes[split]));
    }
    const manifest = await importCorpus(
      { kind: 'files', train: files.train, valid: files.valid, test: files.test },
      { id: o.id, name: o.name, format: 'plain', preprocessing: { eos: false } },
      outDir,
    );
    await writeClassSet(outDir, syntheticClassSet(o.spec));
    const floor = entropyFloor(o.spec);
    const empirical = Object.fromEntries(SPLITS.map((s) => [s, empiricalFloor(o.spec, episodes[s])])) as Record<SplitName, number>;
    const tokens = Object.fromEntries(SPLITS.map((s) => [s, episodes[s].reduce((a, e) => a + e.words.length, 0)])) as Record<SplitName, number>;
    const description: SyntheticCorpusFile = {
      kind: 'mnemoscope-synthetic-corpus',
      version: 1,
      spec: o.spec,
      seed: o.seed,
      sentences: o.sentences,
      floor,
      empiricalFloor: empirical,
      layout:
        `one episode per line: a marker (class A or B), ${o.spec.span - 1} fillers, ` +
        `${o.spec.independentTargets ? 'a target of a random class (control corpus)' : "a target of the marker's class"} ` +
        `(exactly ${o.spec.span} tokens after the marker), then 0..${o.spec.maxGap} fillers; no <eos>, the lines form one stream`,
    };
    await writeJsonAtomic(path.join(outDir, SYNTHETIC_FILE), description);
    return { manifest, floor, empiricalFloor: empirical, tokens };
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}
