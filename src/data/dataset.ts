import { Matrix } from "../linalg";

/**
 * A supervised dataset: inputs X (N×d, one row per sample) and targets Y (N×K). Classification
 * sets also carry integer labels (Y is then their one-hot code).
 */
export interface Dataset {
  name: string;
  X: Matrix;
  Y: Matrix;
  labels?: Int32Array;
  numClasses?: number;
  /** [height, width, channels] when rows of X are flattened images */
  imageShape?: [number, number, number];
  /** a one-line account of where the data came from and what was done to it */
  description: string;
}

export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DataError";
  }
}

export function oneHot(labels: Int32Array, numClasses: number): Matrix {
  const Y = new Matrix(labels.length, numClasses);
  labels.forEach((c, i) => {
    if (c < 0 || c >= numClasses) throw new DataError(`oneHot: label ${c} at ${i} is outside 0..${numClasses - 1}`);
    Y.data[i * numClasses + c] = 1;
  });
  return Y;
}

/** Selects rows (in the given order). */
export function takeRows(ds: Dataset, rows: ArrayLike<number>, note?: string): Dataset {
  const n = rows.length;
  const d = ds.X.cols;
  const k = ds.Y.cols;
  const X = new Matrix(n, d);
  const Y = new Matrix(n, k);
  const labels = ds.labels ? new Int32Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    X.data.set(ds.X.data.subarray(r * d, (r + 1) * d), i * d);
    Y.data.set(ds.Y.data.subarray(r * k, (r + 1) * k), i * k);
    if (labels) labels[i] = ds.labels![r];
  }
  return { ...ds, X, Y, labels, description: note ? `${ds.description}; ${note}` : ds.description };
}

export function checkCount(op: string, name: string, value: number, max?: number): void {
  if (!Number.isInteger(value) || value < 1) throw new DataError(`${op}: ${name} must be a positive integer, got ${value}`);
  if (max !== undefined && value > max) throw new DataError(`${op}: ${name} = ${value} but only ${max} are available`);
}
