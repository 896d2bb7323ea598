/** Estimators on symmetric operators, one module per quantity. */
export * from "./lanczos";
export * from "./spectrum";
export * from "./trace";
export * from "./diagonal";
export * from "./asymmetry";
