// Public API of the analysis engine (DESIGN.md §3): pure functions over row-major float arrays.
export * from './matrix';
export * from './spectrum';
export * from './singular-values';
export * from './normalisation';
export * from './properties';
export * from './linear-probe';
export * from './decay-fit';
export * from './decay-models';
export * from './aligned-words';
export * from './standard-error';
export * from './summarise-run';
export * from './run-summary-schema';
