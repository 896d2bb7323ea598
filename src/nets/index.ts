/** Dense feed-forward networks in float64: spec, parameters, forward pass, losses, tfjs conversion. */
export * from "./activations";
export * from "./spec";
export * from "./losses";
export * from "./forward";
export * from "./tfjs";
export * from "./vgg";
