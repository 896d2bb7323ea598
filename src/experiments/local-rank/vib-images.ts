/**
 * Figure 3 of the local-rank paper: Deep VIB (Alemi et al. 2017) on MNIST or Fashion-MNIST, trained
 * with tfjs. Encoder: a ReLU MLP whose last (linear) layer outputs [μ, log σ] ∈ R^{2·dT}; the
 * representation t = μ + σ ⊙ ε (reparameterised, seeded noise); decoder: a linear softmax classifier.
 * Loss: cross-entropy + β_vib · KL(N(μ, σ²) ‖ N(0, I)), β_vib = 1/β.
 * Afterwards, in float64: the local rank of μ(x) (the encoder restricted to its μ outputs) on held-out
 * inputs, and the test accuracy of the decoder applied to μ(x).
 */
import type * as tfType from "../../backend/tf-api";
import { Matrix } from "../../linalg";
import * as nets from "../../nets";
import { localRank } from "../../metrics";
import { loadTf } from "../../backend";
import { imageData } from "../data-source";
import { Rng } from "../../util/random";
import { tfTrainingState } from "../../training/tf-state";
import { loopCheckpoints, LoopSnapshot } from "../../parallel/resume";

/** A checkpoint of the training loop: its variables and Adam's state, and the mini-batch generator. */
interface VibSnapshot extends LoopSnapshot {
  rng: ReturnType<Rng["getState"]>;
  state: unknown;
}

/**
 * What every Deep VIB run of the study is trained and measured with (the image VIB here, the sampled Gaussian VIB of
 * Fig. 2).
 */
export interface VibTrainingArgs {
  /** hidden widths of the encoder's trunk, and the dimension of T */
  hidden: number[];
  dT: number;
  /** training samples, Adam steps, mini-batch size and learning rate */
  n: number;
  steps: number;
  batch: number;
  lr: number;
  /** local rank of μ(x): absolute ε, averaged over this many inputs */
  eps: number;
  evalSamples: number;
  seed: number;
}

export interface VibImageArgs extends VibTrainingArgs {
  source: "mnist" | "fashion-mnist";
  beta: number;
  nTest: number;
}

export interface VibImageResult {
  source: string;
  beta: number;
  localRank: number;
  accuracy: number;
  kl: number;
  ce: number;
}

export async function trainVibImages(a: VibImageArgs): Promise<VibImageResult> {
  const { tf } = await loadTf();
  const train = imageData({ source: a.source, n: a.n, d: 784, seed: a.seed });
  const test = imageData({ source: a.source, n: a.nTest, d: 784, seed: a.seed + 1, split: "test" });
  const spec: nets.NetSpec = { sizes: [784, ...a.hidden, 2 * a.dT], activation: "relu", bias: true };
  const encoder = nets.toTfModel(tf, spec, nets.initParams(spec, { init: "he", seed: a.seed }));
  const rng = new Rng(a.seed);
  const dec = tf.variable(tf.tensor2d(Float32Array.from(rng.normals(a.dT * 10, 1 / Math.sqrt(a.dT))), [a.dT, 10]));
  const decB = tf.variable(tf.zeros([10]));
  const vars = [...encoder.trainableWeights.map((w) => (w as unknown as { val: tfType.Variable }).val), dec, decB];
  const opt = tf.train.adam(a.lr);
  const X = tf.tensor2d(Float32Array.from(train.X.data), [train.X.rows, 784]);
  const Y = tf.tensor2d(Float32Array.from(train.Y.data), [train.Y.rows, 10]);
  const bVib = 1 / a.beta;
  const parts = (xb: tfType.Tensor2D, noiseSeed: number | null) => {
    const out = encoder.apply(xb) as tfType.Tensor2D;
    const mu = tf.slice(out, [0, 0], [-1, a.dT]);
    const logS = tf.slice(out, [0, a.dT], [-1, a.dT]);
    const t =
      noiseSeed === null ? mu : tf.add(mu, tf.mul(tf.exp(logS), tf.randomNormal(mu.shape, 0, 1, "float32", noiseSeed)));
    const logits = tf.add(tf.matMul(t, dec), decB);
    const kl = tf.mean(
      tf.sum(tf.mul(0.5, tf.sub(tf.add(tf.square(mu), tf.exp(tf.mul(2, logS))), tf.add(1, tf.mul(2, logS)))), 1),
    );
    return { logits, kl };
  };
  let kl = 0;
  let ce = 0;
  try {
    // inside a queue job (parallel/resume.ts): the whole state checkpointed at intervals, a lost job resumed from it
    const state = tfTrainingState(tf, vars, opt);
    const cp = loopCheckpoints<VibSnapshot>(!!state);
    let start = 0;
    if (cp?.saved) {
      await state!.restore(cp.saved.state);
      rng.setState(cp.saved.rng);
      start = cp.saved.step + 1;
      cp.resumed();
    }
    const snapshot = async (step: number): Promise<VibSnapshot> => ({
      step,
      rng: rng.getState(),
      state: await state!.save(),
    });
    for (let step = start; step < a.steps; step++) {
      const idx = tf.tensor1d(Int32Array.from(Array.from({ length: a.batch }, () => rng.int(train.X.rows))), "int32");
      const cost = tf.tidy(
        (): tfType.Scalar =>
          opt.minimize(
            () => {
              const xb = tf.gather(X, idx) as tfType.Tensor2D;
              const yb = tf.gather(Y, idx);
              // tfjs treats a seed of 0 as "no seed" (Math.random): seed 0, step 0 made every run differ; never pass 0
              const { logits, kl: k } = parts(xb, a.seed * 100003 + step + 1);
              const c = tf.mean(tf.neg(tf.sum(tf.mul(yb, tf.logSoftmax(logits)), 1)));
              return tf.add(c, tf.mul(bVib, k)) as tfType.Scalar;
            },
            true,
            vars,
          ) as tfType.Scalar,
      );
      idx.dispose();
      cost.dispose();
      if (cp && step < a.steps - 1 && cp.due()) await cp.save(snapshot(step));
    }
    if (cp && !cp.saved?.final) await cp.save({ ...(await snapshot(a.steps - 1)), final: true });
    // final KL / CE on the training set, and accuracy of the decoder on μ(x) for the test set
    [kl, ce] = tf.tidy(() => {
      const { logits, kl: k } = parts(X as tfType.Tensor2D, null);
      return [k.dataSync()[0], tf.mean(tf.neg(tf.sum(tf.mul(Y, tf.logSoftmax(logits)), 1))).dataSync()[0]];
    });
    const accuracy = tf.tidy(() => {
      const Xt = tf.tensor2d(Float32Array.from(test.X.data), [test.X.rows, 784]);
      const { logits } = parts(Xt, null);
      const pred = tf.argMax(logits, 1).dataSync();
      let ok = 0;
      pred.forEach((p, i) => (ok += test.labels![i] === p ? 1 : 0));
      return ok / pred.length;
    });
    // float64 local rank of μ(x): the encoder with its last layer cut to the μ rows
    const { params } = nets.fromTfModel(encoder);
    const muSpec: nets.NetSpec = { sizes: [784, ...a.hidden, a.dT], activation: "relu", bias: true };
    const muParams = new Float64Array(nets.paramCount(muSpec));
    const full = nets.layout(spec);
    const cut = nets.layout(muSpec);
    full.forEach((s, i) => {
      const c = cut[i];
      muParams.set(params.subarray(s.wOffset, s.wOffset + c.rows * c.cols), c.wOffset);
      muParams.set(params.subarray(s.bOffset, s.bOffset + c.rows), c.bOffset);
    });
    const evalX = new Matrix(a.evalSamples, 784, test.X.data.slice(0, a.evalSamples * 784));
    const lr = localRank(muSpec, muParams, evalX, { eps: a.eps, layers: [muSpec.sizes.length - 1] })[0].localRank;
    return { source: a.source, beta: a.beta, localRank: lr, accuracy, kl, ce };
  } finally {
    X.dispose();
    Y.dispose();
    dec.dispose();
    decB.dispose();
    opt.dispose();
    encoder.dispose();
  }
}

export const vibImagesModule = __filename;
