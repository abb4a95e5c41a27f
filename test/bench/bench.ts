export {};
// `npm run bench -- <name>...`: speed figures, printed, never asserted (these machines are noisy).
//   train      training tokens/s for the default model on each available backend
//   gradients  state-gradient sweep GFLOP/s and positions/s vs the backend's own matMul rate
// With no name, runs all.
const benches: Record<string, () => Promise<void>> = {
  train: async () => (await import('./train-bench')).runTrainBench(),
  gradients: async () => (await import('./gradients-bench')).runGradientsBench(),
};

const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = asked.length ? asked : Object.keys(benches);
for (const name of names) {
  const run = benches[name];
  if (!run) {
    console.error(`unknown benchmark '${name}'; choose from: ${Object.keys(benches).join(', ')}`);
    process.exit(1);
  }
  console.log(`\n== ${name} ==`);
  await run();
}
