/** The functional part H_f = H − H_o = (1/N) Σ_n Σ_c r_{n,c} ∇²_θ f_c(x_n): two products per block. */
import type { CurvatureKindModule } from "../operator-base";
import { hessianKind } from "./hessian";
import { ggnKind } from "./ggn";

/** H_f = H − H_o (the residual-weighted second derivatives of the outputs). */
export const functionalKind: CurvatureKindModule = {
  name: "functional",
  description: "the functional part H_f = H − H_o",
  product(prep, V) {
    const H = hessianKind.product(prep, V);
    const Ho = ggnKind.product(prep, V);
    for (let i = 0; i < H.data.length; i++) H.data[i] -= Ho.data[i];
    return H;
  },
};
