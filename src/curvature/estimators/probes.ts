/** The random probes of the stochastic estimators. */
import { Matrix } from "../../linalg";
import { Rng } from "../../util/random";

/**
 * B Rademacher (±1) probes of length p as the rows of a B×p matrix, drawn row by row from `rng`.
 * @internal
 */
export function rademacher(rng: Rng, B: number, p: number): Matrix {
  const V = new Matrix(B, p);
  for (let i = 0; i < V.data.length; i++) V.data[i] = rng.uniform() < 0.5 ? -1 : 1;
  return V;
}
