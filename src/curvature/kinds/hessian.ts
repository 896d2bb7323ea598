/** The Hessian H = ∇²_θ L of the mean loss: the batched R-operator with the residual terms. */
import type { DenseCurvatureKind } from "../operator-base";
import { rOperatorProducts } from "../products";
import { denseLayerBlocks } from "../dense";

/** H = ∇²_θ L (exact Hessian of the mean loss). */
export const hessianKind: DenseCurvatureKind = {
  name: "hessian",
  description: "the Hessian H = ∇²_θ L of the mean loss",
  product: (prep, V) => rOperatorProducts(prep, V, true),
  dense: (prep, onProgress) => denseLayerBlocks(prep, true, onProgress),
};
