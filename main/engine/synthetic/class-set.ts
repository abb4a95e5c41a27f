// The `synthetic` class set stored with the generated corpus: the two marker classes (the
// property marker = marker-a:marker-b), their union `marker` (sources of Ḡ^marker), the
// two target classes and the fillers.
import { CLASS_SET_SCHEMA_VERSION, type ClassSet } from '../../../shared/schemas/corpus';
import { CLASS_NAMES, type SyntheticSpec, syntheticWords } from './spec';

export const SYNTHETIC_CLASS_SET_ID = 'synthetic';
export const MARKER_UNION_CLASS = 'marker';
export const PROPERTY_NAME = 'marker';
/** The property in the CLI's NAME=CLASS_A:CLASS_B form. */
export const PROPERTY_SPEC = `${PROPERTY_NAME}=${CLASS_NAMES.markerA}:${CLASS_NAMES.markerB}`;

export function syntheticClassSet(spec: SyntheticSpec): ClassSet {
  const w = syntheticWords(spec);
  return {
    schemaVersion: CLASS_SET_SCHEMA_VERSION,
    id: SYNTHETIC_CLASS_SET_ID,
    name: 'Synthetic memory benchmark',
    source: 'builtin:synthetic',
    description:
      `marker words of class A or B; the word ${spec.span} tokens after a marker is a target of the same class; ` +
      'fillers carry no information',
    classes: {
      [CLASS_NAMES.markerA]: w.markerA,
      [CLASS_NAMES.markerB]: w.markerB,
      [MARKER_UNION_CLASS]: [...w.markerA, ...w.markerB],
      [CLASS_NAMES.targetA]: w.targetA,
      [CLASS_NAMES.targetB]: w.targetB,
      [CLASS_NAMES.filler]: w.fillers,
    },
  };
}
