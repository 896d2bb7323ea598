/**
 * The whole state of a tfjs training loop, for checkpoints inside a task (parallel/resume.ts): the values of its
 * variables and its optimiser's state (SGD: its step count; Adam: the step count, both moments of every variable and
 * the running powers β₁ᵗ⁺¹, β₂ᵗ⁺¹ its bias correction divides by). tfjs's own `setWeights` recomputes those powers as
 * `pow(β, t + 1)`, which is not the running product to the last float32 bit, so a loop restored through it would part
 * from an uninterrupted one; here they are saved and put back as they are (tfjs's private fields, checked to exist).
 */
import type * as tfType from "../backend/tf-api";
import type { Resumable } from "../parallel/resume";

interface Slot {
  originalName: string;
  variable: tfType.Variable;
}

/** The optimisers' fields the state is read from (tfjs-core's SGDOptimizer and AdamOptimizer). */
interface Internals {
  iterations_?: number;
  accBeta1?: tfType.Variable;
  accBeta2?: tfType.Variable;
  accumulatedFirstMoment?: Slot[];
  accumulatedSecondMoment?: Slot[];
}

interface Saved {
  values: Float32Array[];
  iterations: number;
  adam?: { acc: [number, number]; moments: { name: string; shape: number[]; data: Float32Array }[][] };
}

/**
 * The state of `vars` trained by `optimizer` (a tfjs SGD or Adam optimiser) as a `Resumable`, or undefined when the
 * optimiser is of another kind or its fields are not where this tfjs version was seen to keep them (the loop then runs
 * without checkpoints).
 */
export function tfTrainingState(
  tf: typeof tfType,
  vars: tfType.Variable[],
  optimizer: tfType.Optimizer,
): Resumable | undefined {
  const o = optimizer as unknown as Internals;
  const kind = optimizer.getClassName();
  const adam = kind === "Adam";
  if (kind !== "SGD" && !adam) return undefined;
  if (adam && !(o.accBeta1 && o.accBeta2 && Array.isArray(o.accumulatedFirstMoment))) return undefined;
  const floats = (v: tfType.Tensor) => Float32Array.from(v.dataSync() as Float32Array);
  const assign = (v: tfType.Variable, data: Float32Array) => {
    const t = tf.tensor(data, v.shape, "float32");
    v.assign(t);
    t.dispose();
  };
  return {
    save: (): Saved => ({
      values: vars.map(floats),
      iterations: o.iterations_ ?? 0,
      adam: adam
        ? {
            acc: [floats(o.accBeta1!)[0], floats(o.accBeta2!)[0]],
            moments: [o.accumulatedFirstMoment!, o.accumulatedSecondMoment!].map((slots) =>
              slots.map((s) => ({ name: s.originalName, shape: s.variable.shape, data: floats(s.variable) })),
            ),
          }
        : undefined,
    }),
    restore: (state) => {
      const s = state as Saved;
      if (s.values.length !== vars.length || s.values.some((v, i) => v.length !== vars[i].size))
        throw new Error("training: a checkpoint of another model cannot be restored");
      vars.forEach((v, i) => assign(v, s.values[i]));
      o.iterations_ = s.iterations;
      if (!adam || !s.adam) return;
      assign(o.accBeta1!, Float32Array.of(s.adam.acc[0]));
      assign(o.accBeta2!, Float32Array.of(s.adam.acc[1]));
      const [first, second] = s.adam.moments.map((saved, k) => {
        const slots = k === 0 ? o.accumulatedFirstMoment! : o.accumulatedSecondMoment!;
        if (slots.length === saved.length) {
          saved.forEach((m, i) => assign(slots[i].variable, m.data));
          return slots;
        }
        for (const x of slots) x.variable.dispose();
        return saved.map((m) => {
          const t = tf.tensor(m.data, m.shape, "float32");
          const variable = tf.variable(t, false);
          t.dispose();
          return { originalName: m.name, variable };
        });
      });
      o.accumulatedFirstMoment = first;
      o.accumulatedSecondMoment = second;
    },
  };
}
