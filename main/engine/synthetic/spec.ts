// The synthetic memory benchmark's parameters and its word inventory.
// An episode is `marker f … f target g … g`: the marker (one of several class-A or
// class-B words) is followed by span−1 fillers, then a target word from the target set
// of the marker's class, then 0..maxGap further fillers before the next episode's marker.
// Why this shape: the marker is useless once its target is out and is overwritten by the
// next marker at most K+1+G tokens later, so memory must end there; the random gap keeps the
// model from predicting the next marker by a fixed period; several words per class make
// d = ē_A − ē_B a difference of class means, as for the paper's properties.
import { UserError } from '../errors';

export interface SyntheticSpec {
  /** K: the target is exactly K tokens after its marker (K ≥ 1). */
  span: number;
  /** Word types per marker class (A and B each). */
  markersPerClass: number;
  /** Word types per target class (A and B each). */
  targetsPerClass: number;
  /** Filler word types: they carry no information. */
  fillers: number;
  /** Fillers between a target and the next marker: uniform in 0..maxGap. */
  maxGap: number;
  /**
   * Control corpus: the target's class is drawn independently of the marker, so the
   * same stream has nothing to remember (a null for the verdict). Default false.
   */
  independentTargets: boolean;
}

export const DEFAULT_SPEC: Omit<SyntheticSpec, 'span'> = {
  markersPerClass: 4,
  targetsPerClass: 3,
  fillers: 16,
  maxGap: 1,
  independentTargets: false,
};

export const DEFAULT_SPAN = 5;

/** Class names in the `synthetic` class set; the property is marker-a vs marker-b. */
export const CLASS_NAMES = {
  markerA: 'marker-a',
  markerB: 'marker-b',
  targetA: 'target-a',
  targetB: 'target-b',
  filler: 'filler',
} as const;

export interface SyntheticWords {
  markerA: string[];
  markerB: string[];
  targetA: string[];
  targetB: string[];
  fillers: string[];
}

// Words start with a letter (the importer's number rule leaves them alone) and are
// lowercase; indices are zero-padded so sorted class lists read in order.
function numbered(prefix: string, n: number): string[] {
  const width = String(n).length;
  return Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(width, '0')}`);
}

export function syntheticWords(spec: SyntheticSpec): SyntheticWords {
  return {
    markerA: numbered('amark', spec.markersPerClass),
    markerB: numbered('bmark', spec.markersPerClass),
    targetA: numbered('atarg', spec.targetsPerClass),
    targetB: numbered('btarg', spec.targetsPerClass),
    fillers: numbered('fill', spec.fillers),
  };
}

/** Refuses specs the generator cannot honour, naming the parameter. */
export function checkSpec(spec: SyntheticSpec): void {
  const int = (name: string, v: number, min: number, max: number) => {
    if (!Number.isInteger(v) || v < min || v > max) throw new UserError(`synthetic ${name} must be an integer in ${min}..${max}, got ${v}`);
  };
  int('span', spec.span, 1, 200);
  int('markersPerClass', spec.markersPerClass, 1, 500);
  int('targetsPerClass', spec.targetsPerClass, 1, 500);
  int('fillers', spec.fillers, 1, 5000);
  int('maxGap', spec.maxGap, 0, 200);
}
