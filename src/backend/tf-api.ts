/**
 * The tfjs API rankscope uses: tfjs-core (tensors, ops, gradients, optimisers, kernels) and tfjs-layers (models),
 * the two parts of the `@tensorflow/tfjs` union package that Node needs. The union package also pulls the WebGL
 * backend, the converter and tfjs-data, which nothing here uses (about 190 MB of node_modules). Backends are
 * registered by `src/backend` (wasm, cpu; tfjs-node when it loads, which brings its own copy of the union API).
 * Tensors have no chained methods (`x.square()`; the union package registered them): write `tf.square(x)`.
 * Elsewhere this module is imported for its types only (`import type * as tfType from "…/backend/tf-api"`).
 */
export * from "@tensorflow/tfjs-core";
export * from "@tensorflow/tfjs-layers";
