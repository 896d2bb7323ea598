/** Representation metrics computed from exact float64 Jacobians. */
export * from "./local-rank";
export * from "./flatness";
export * from "./tf-jacobians";
export * from "./representations";
export * from "./classification";
