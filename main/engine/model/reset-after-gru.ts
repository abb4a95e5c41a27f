// ResetAfterGRU: a GRU layer in PyTorch's form (Keras GRU with reset_after: true), which
// tfjs' own GRU refuses. Its weights have Keras' reset_after layout, so a Keras GRU's
// weights load into it unchanged:
//   kernel [in, 3H], recurrent_kernel [H, 3H], bias [2, 3H] (row 0 input bias b, row 1 recurrent bias b'),
// gates z (update), r (reset), h (candidate) in that order;
//   z = σ(x·W_z + b_z + h·U_z + b'_z),  r = σ(x·W_r + b_r + h·U_r + b'_r),
//   ĥ = tanh(x·W_h + b_h + r⊙(h·U_h + b'_h)),  h' = z⊙h + (1−z)⊙ĥ,
// σ the sigmoid or hard_sigmoid (clip(0.2·z + 0.5, 0, 1)). The layer returns the whole sequence
// [batch, T, H] from a zero initial state. Its `call` is plain tfjs ops, so `model.predict`
// works; training goes through gru-layer-op.ts instead (over the same variables).
//
// The class is registered with tfjs' serialization under 'ResetAfterGRU' when this module is
// loaded: every module of the engine that deserializes a model (file-io-handler.ts,
// import-model.ts) imports it.
import * as tf from '@tensorflow/tfjs';
import type { RecurrentActivation } from './rnn-weights';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
type Kwargs = Parameters<tf.layers.Layer['call']>[1];
type Shape = (number | null)[];
export type Initializer = ReturnType<typeof tf.initializers.zeros>;

export interface ResetAfterGRUArgs extends LayerArgs {
  units: number;
  /** 'sigmoid' (Keras' default) or 'hardSigmoid'/'hard_sigmoid' (tfjs'). */
  recurrentActivation?: string;
  /** Must be 'tanh' when given (the candidate's activation). */
  activation?: string;
  /** Must be true when given (a loaded Keras config carries it). */
  resetAfter?: boolean;
  returnSequences?: boolean;
  /** false: no bias weight (a Keras GRU with use_bias false); Mnemoscope's own models always have one. */
  useBias?: boolean;
  kernelInitializer?: Initializer;
  recurrentInitializer?: Initializer;
  biasInitializer?: Initializer;
}

/** tfjs writes 'hardSigmoid', Keras 'hard_sigmoid'; anything else is not supported here. */
export function recurrentActivationOf(name: unknown): RecurrentActivation | null {
  if (name === 'sigmoid') return 'sigmoid';
  if (name === 'hardSigmoid' || name === 'hard_sigmoid') return 'hard_sigmoid';
  return null;
}

function lastShape(inputShape: Shape | Shape[]): Shape {
  return Array.isArray(inputShape[0]) ? (inputShape[0] as Shape) : (inputShape as Shape);
}

export class ResetAfterGRU extends tf.layers.Layer {
  static className = 'ResetAfterGRU';
  readonly units: number;
  readonly gateActivation: RecurrentActivation;
  readonly useBias: boolean;
  private readonly kernelInit: Initializer;
  private readonly recurrentInit: Initializer;
  private readonly biasInit: Initializer;
  private kernel: tf.LayerVariable | null = null;
  private recurrentKernel: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;

  constructor(args: ResetAfterGRUArgs) {
    super(args);
    if (!Number.isInteger(args.units) || args.units <= 0) throw new Error(`ResetAfterGRU: units must be a positive integer, got ${args.units}`);
    if (args.activation !== undefined && args.activation !== 'tanh') {
      throw new Error(`ResetAfterGRU: activation '${args.activation}' is not supported (the candidate uses tanh)`);
    }
    if (args.resetAfter === false) throw new Error('ResetAfterGRU: resetAfter must be true (use GRU for reset_after: false)');
    if (args.returnSequences === false) throw new Error('ResetAfterGRU: always returns sequences');
    const act = recurrentActivationOf(args.recurrentActivation ?? 'sigmoid');
    if (!act) throw new Error(`ResetAfterGRU: recurrent activation '${String(args.recurrentActivation)}' is not supported (sigmoid or hard_sigmoid)`);
    this.units = args.units;
    this.gateActivation = act;
    this.useBias = args.useBias ?? true;
    this.kernelInit = args.kernelInitializer ?? tf.initializers.glorotUniform({});
    this.recurrentInit = args.recurrentInitializer ?? tf.initializers.orthogonal({});
    this.biasInit = args.biasInitializer ?? tf.initializers.zeros();
    // A mask (an Embedding with mask_zero) is passed through (Layer.computeMask) and not applied, as for imports generally.
    this.supportsMasking = true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const s = lastShape(inputShape);
    const inDim = s[s.length - 1];
    if (inDim === null) throw new Error('ResetAfterGRU: the input feature size must be known');
    const H = this.units;
    this.kernel = this.addWeight('kernel', [inDim, 3 * H], 'float32', this.kernelInit);
    this.recurrentKernel = this.addWeight('recurrent_kernel', [H, 3 * H], 'float32', this.recurrentInit);
    if (this.useBias) this.bias = this.addWeight('bias', [2, 3 * H], 'float32', this.biasInit);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = lastShape(inputShape);
    return [s[0], s[1], this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      if (!this.kernel || !this.recurrentKernel) throw new Error('ResetAfterGRU: called before build');
      const [B, T, inDim] = x.shape;
      const H = this.units;
      const W = this.kernel.read() as tf.Tensor2D;
      const U = this.recurrentKernel.read() as tf.Tensor2D;
      const [bIn, bRec] = this.bias ? tf.unstack(this.bias.read(), 0) : [tf.zeros([3 * H]), tf.zeros([3 * H])];
      const act = (z: tf.Tensor) =>
        this.gateActivation === 'sigmoid' ? tf.sigmoid(z) : tf.clipByValue(tf.add(tf.mul(z, 0.2), 0.5), 0, 1);
      const xw = tf.reshape(tf.add(tf.matMul(tf.reshape(x, [B * T, inDim]), W), bIn), [B, T, 3 * H]);
      let h: tf.Tensor2D = tf.zeros([B, H]);
      const outs: tf.Tensor2D[] = [];
      for (let t = 0; t < T; t++) {
        const [xz, xr, xh] = tf.split(tf.reshape(tf.slice(xw, [0, t, 0], [B, 1, 3 * H]), [B, 3 * H]), 3, 1);
        const [rz, rr, rh] = tf.split(tf.add(tf.matMul(h, U), bRec), 3, 1);
        const z = act(tf.add(xz, rz));
        const r = act(tf.add(xr, rr));
        const hh = tf.tanh(tf.add(xh, tf.mul(r, rh)));
        h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh)) as tf.Tensor2D;
        outs.push(h);
      }
      return tf.stack(outs, 1);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: 'tanh',
      recurrentActivation: this.gateActivation === 'sigmoid' ? 'sigmoid' : 'hardSigmoid',
      resetAfter: true,
      returnSequences: true,
      useBias: this.useBias,
    };
  }
}

tf.serialization.registerClass(ResetAfterGRU);
