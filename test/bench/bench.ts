export {};
// `npm run bench -- <name>... [--option=value]`: speed figures, printed, never asserted
// (these machines are noisy).
//   train      training tokens/s for the default model on each available backend
//              options: --cell=gru,rnn-tanh or all (default lstm), --backends=wasm,cpu
//   gradients  the state-gradient sweep: whole sweep vs the PyTorch CPU anchor (when python3-torch
//              is installed; anchors/sweep_anchor.py) with peak RSS, GFLOP/s and positions/s vs
//              tfjs's plain matMul rate, 1 worker vs all cores, and a line per cell
//              options: --sizes=64,256x64 (H or HxE), --pairs=3 (alternated pairs),
//              --parts=anchor,scaling,cells (default all),
//              --cells=lstm,gru,gru-classic,rnn-tanh (a line per cell; default all, 'none' for none)
//   sweep-paths  the kernel path and the tensor path side by side, one thread each, on every
//              backend available (sweep-paths-bench.ts); options: --sizes=64,128x64, --streams=8,
//              --length=200
//   ablation   the context ablation at the paper's size (E 64, H 256, V 10k, D 30): cell steps/s,
//              output rows/s, tokens/s (ablation-bench.ts); options: --tokens=2000, --streams=20,
//              --max-delay=30, --workers=1,2
//   synthetic  the blind planted-span test over K and seeds (synthetic-sweep.ts; ~20 min, so
//              only when named)
// With no name, runs all but synthetic.
const benches: Record<string, (options: Map<string, string>) => Promise<void>> = {
  train: async (options) => (await import('./train-bench')).runTrainBench(options),
  gradients: async (options) => (await import('./gradients-bench')).runGradientsBench(options),
  'sweep-paths': async (options) => (await import('./sweep-paths-bench')).runSweepPathsBench(options),
  ablation: async (options) => (await import('./ablation-bench')).runAblationBench(options),
  synthetic: async (options) => (await import('./synthetic-sweep')).runSyntheticSweep(options),
};
const namedOnly = new Set(['synthetic']);

const args = process.argv.slice(2);
const options = new Map(
  args.filter((a) => a.startsWith('--')).map((a) => {
    const [key, ...value] = a.slice(2).split('=');
    return [key, value.join('=')] as [string, string];
  }),
);
const asked = args.filter((a) => !a.startsWith('-'));
const names = asked.length ? asked : Object.keys(benches).filter((n) => !namedOnly.has(n));
for (const name of names) {
  const run = benches[name];
  if (!run) {
    console.error(`unknown benchmark '${name}'; choose from: ${Object.keys(benches).join(', ')}`);
    process.exit(1);
  }
  console.log(`\n== ${name} ==`);
  await run(options);
}
