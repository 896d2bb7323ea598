/**
 * The Gauss–Newton (outer-product) part H_o = (1/N) Σ_n J_nᵀ Λ_n J_n: the batched R-operator without the residual
 * terms.
 */
import type { DenseCurvatureKind } from "../operator-base";
import { rOperatorProducts } from "../products";
import { denseLayerBlocks } from "../dense";

/** H_o = (1/N) Σ_n J_nᵀ Λ_n J_n (Gauss–Newton / outer-product part, Λ_n = ∂²ℓ/∂f²). */
export const ggnKind: DenseCurvatureKind = {
  name: "ggn",
  description: "the Gauss–Newton part H_o = (1/N) Σ_n J_nᵀ Λ_n J_n",
  product: (prep, V) => rOperatorProducts(prep, V, false),
  dense: (prep, onProgress) => denseLayerBlocks(prep, false, onProgress),
};
