/**
 * Exact float64 derivatives of dense networks: gradient, parameter and input Jacobians, the Hessian
 * and its split H = H_o + H_f, the closed form for linear networks, matrix-free products and
 * estimators, spectra and the Singh et al. rank formulas.
 */
export * from "./problem";
export * from "./gradient";
export * from "./products";
export * from "./hessian";
export * from "./dense";
export * from "./jacobian";
export * from "./linear";
export * from "./operators";
export * from "./spectrum";
export * from "./rank-formulas";
export * from "./spectral";
export * from "./model-operator";
