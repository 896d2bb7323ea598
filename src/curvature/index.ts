/**
 * Exact float64 derivatives of dense networks: gradient, parameter and input Jacobians, the Hessian
 * and its split H = H_o + H_f, the closed form for linear networks, matrix-free products and
 * estimators, spectra and the Singh et al. rank formulas. One operator base (`operator-base.ts`) owns batching, the 1/N
 * scaling and the symmetric-operator contract; each curvature kind is a module under `kinds/`; the estimators are
 * under `estimators/` by quantity.
 */
export * from "./problem";
export * from "./gradient";
export * from "./layer-derivatives";
export * from "./products";
export * from "./operator-base";
export * from "./kinds";
export * from "./hessian";
export * from "./dense";
export * from "./jacobian";
export * from "./linear";
export * from "./operators";
export * from "./spectrum";
export * from "./rank-formulas";
export * from "./estimators";
export { densityFigure } from "../figures/spectral-density";
export * from "./model-operator";
