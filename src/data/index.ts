/** Datasets, all offline and seeded: image sets, pre-processing, synthetic generators. */
export * from "./dataset";
export * from "./images";
export * from "./preprocess";
export * from "./synthetic";
