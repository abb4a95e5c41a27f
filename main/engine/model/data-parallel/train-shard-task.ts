// The `train-shard` worker task: one worker of data-parallel training. It holds a replica
// of the model on its own tfjs backend and its share of the streams with their carried
// state, and waits on shared memory for the leader's commands (shard-protocol.ts): a
// training step on window k (its gradients into its slot, then, with the other workers,
// the update: it sums the slots over its slice of the parameters and updates that slice),
// an evaluation of its validation streams, or stop. Weights are reloaded from shared memory
// whenever their version changes.
import * as tf from '@tensorflow/tfjs';
import { JobCancelledError } from '../../errors';
import type { TaskFn } from '../../jobs/task-context';
import { selectBackend } from '../backend';
import { windowAt } from '../batchify';
import { zeroState, type DropoutSpec, type RnnState } from '../lstm-forward';
import { streamLoss } from '../perplexity';
import { buildRnnLm, modelTensors } from '../rnn-lm';
import { mulberry32 } from '../../seeded-random';
import { windowGradients } from '../train-step';
import { assignVariables, writeGradients } from './flat-parameters';
import { FlatUpdater, flatViews, parameterSlice } from './flat-update';
import {
  COMMAND,
  CONTROL,
  RESULT,
  RESULT_FIELDS,
  UPDATE,
  stepTotals,
  type TrainShardParams,
  type TrainShardSummary,
} from './shard-protocol';

/** How often a waiting worker looks at its cancel token (ShardPool's stopWorkers: the job's cancel comes as COMMAND.stop), ms. */
const CANCEL_POLL_MS = 250;

/** A step given up at a barrier because the pool is being closed (another worker failed). */
class StepAbandoned extends Error {}

export const trainShardTask: TaskFn<TrainShardParams, TrainShardSummary> = async (p, ctx) => {
  await selectBackend(p.backend);
  const control = new Int32Array(p.buffers.control);
  const done = new Int32Array(p.buffers.done);
  const allResults = new Float64Array(p.buffers.results);
  const results = allResults.subarray(p.index * RESULT_FIELDS, (p.index + 1) * RESULT_FIELDS);
  const { slots, weights } = flatViews(p.buffers.flat);
  const P = p.layout.size;
  const gradients = slots.subarray(p.index * P, (p.index + 1) * P);
  const update = new Float64Array(p.buffers.update);
  const updater = new FlatUpdater(p.buffers.flat);
  const slice = parameterSlice(P, p.workers, p.index);
  const model = buildRnnLm(p.arch, p.init);
  const params = modelTensors(model);
  const drop: DropoutSpec = { rng: mulberry32(p.dropout.seed), embedding: p.dropout.embedding, output: p.dropout.output };
  let state: RnnState = zeroState(params, p.train?.batch ?? 1);
  let seen = 0;
  let weightsVersion = -1;
  let barriers = 0;
  const summary: TrainShardSummary = { steps: 0, evaluations: 0 };

  /** Waits until every worker has arrived here (the arrivals only grow: barrier n is complete at n·W). */
  const barrier = () => {
    const target = ++barriers * p.workers;
    if (Atomics.add(control, CONTROL.arrivals, 1) + 1 === target) {
      Atomics.notify(control, CONTROL.arrivals);
      return;
    }
    for (;;) {
      const at = Atomics.load(control, CONTROL.arrivals);
      if (at >= target) return;
      Atomics.wait(control, CONTROL.arrivals, at, CANCEL_POLL_MS);
      ctx.cancel.throwIfCancelled('training cancelled', summary);
      // Another worker failed and the leader is closing the pool: this step will not complete.
      if (Atomics.load(control, CONTROL.command) === COMMAND.stop) throw new StepAbandoned();
    }
  };

  /** The update, with the other workers: sum the slots over this worker's slice, then update it from the global norm. */
  const updateWeights = () => {
    const optimizer = p.optimizer;
    if (!optimizer) throw new Error(`train-shard ${p.index} has no optimizer`);
    barrier(); // every worker's gradients are in its slot
    if (!stepTotals(allResults, p.workers).finite) return; // no update, as every worker decides alike
    results[RESULT.squares] = updater.sumSlots(slice);
    barrier(); // every slice's sum of squares is in
    const { norm } = stepTotals(allResults, p.workers);
    updater.update(optimizer, slice, {
      learningRate: update[UPDATE.learningRate],
      clipNorm: update[UPDATE.clipNorm],
      t: update[UPDATE.t],
      norm,
    });
  };

  const step = (k: number) => {
    const train = p.train;
    if (!train) throw new Error(`train-shard ${p.index} has no training streams`);
    if (k === 0) state = zeroState(params, train.batch); // every epoch starts from the zero state
    const w = windowAt(train, p.bptt, k);
    const g = windowGradients(params, w, state, drop, (w.steps * train.batch) / p.trainStreams);
    state = g.state;
    results[RESULT.lossSum] = g.loss * w.targets.length;
    results[RESULT.rows] = w.targets.length;
    results[RESULT.ok] = g.grads ? 1 : 0;
    if (g.grads) {
      writeGradients(params.variables, g.grads, p.layout, gradients);
      tf.dispose(g.grads);
    }
    summary.steps++;
  };

  const evaluate = () => {
    results[RESULT.lossSum] = 0;
    results[RESULT.rows] = 0;
    results[RESULT.ok] = 1;
    if (!p.valid) return;
    try {
      const r = streamLoss(params, p.valid, p.bptt, () => {
        Atomics.add(control, CONTROL.windowsDone, 1);
        return Atomics.load(control, CONTROL.cancel) !== 0;
      });
      results[RESULT.lossSum] = r.nllSum;
      results[RESULT.rows] = r.predicted;
    } catch (err) {
      if (!(err instanceof JobCancelledError)) throw err;
      results[RESULT.ok] = 0;
    }
    summary.evaluations++;
  };

  try {
    for (;;) {
      Atomics.wait(control, CONTROL.sequence, seen, CANCEL_POLL_MS);
      ctx.cancel.throwIfCancelled('training cancelled', summary);
      const sequence = Atomics.load(control, CONTROL.sequence);
      if (sequence === seen) continue;
      seen = sequence;
      const command = Atomics.load(control, CONTROL.command);
      if (command === COMMAND.stop) return summary;
      const version = Atomics.load(control, CONTROL.weightsVersion);
      if (version !== weightsVersion) {
        assignVariables(params.variables, p.layout, weights);
        weightsVersion = version;
      }
      const started = performance.now();
      if (command === COMMAND.step) {
        step(Atomics.load(control, CONTROL.window));
        results[RESULT.seconds] = (performance.now() - started) / 1000;
        updateWeights();
      } else if (command === COMMAND.evaluate) {
        evaluate();
        results[RESULT.seconds] = (performance.now() - started) / 1000;
      } else throw new Error(`train-shard ${p.index}: unknown command ${command}`);
      Atomics.store(done, p.index, sequence);
      Atomics.notify(done, p.index);
    }
  } catch (err) {
    if (err instanceof StepAbandoned) return summary;
    throw err;
  } finally {
    model.dispose();
  }
};
