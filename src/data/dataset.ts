import { Matrix } from "../linalg";

/**
 * A supervised dataset: inputs X (N×d, one row per sample) and targets Y (N×K). Classification
 * sets also carry integer labels (Y is then their one-hot code).
 */
export interface Dataset {
  /** short identifier, e.g. "mnist", "gaussian" */
  name: string;
  /** inputs, N×d float64 */
  X: Matrix;
  /** targets, N×K float64 (one-hot for classification sets) */
  Y: Matrix;
  /** integer class of each row, 0..numClasses−1 (classification sets only) */
  labels?: Int32Array;
  /** number of classes (classification sets only) */
  numClasses?: number;
  /** [height, width, channels] when rows of X are flattened images */
  imageShape?: [number, number, number];
  /** a one-line account of where the data came from and what was done to it */
  description: string;
}

/**
 * Thrown by the loaders and pre-processing for missing data files, bad options or shapes; the message names the call.
 */
export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DataError";
  }
}

/**
 * One-hot code of integer labels: an N×numClasses matrix with a 1 in column labels[i] of row i. Throws a `DataError`
 * for a label outside 0..numClasses−1.
 */
export function oneHot(labels: Int32Array, numClasses: number): Matrix {
  const Y = new Matrix(labels.length, numClasses);
  labels.forEach((c, i) => {
    if (c < 0 || c >= numClasses) throw new DataError(`oneHot: label ${c} at ${i} is outside 0..${numClasses - 1}`);
    Y.data[i * numClasses + c] = 1;
  });
  return Y;
}

/**
 * A new dataset of the given rows of X, Y and labels (in the given order, repeats allowed), with `note` appended to its
 * description.
 */
export function takeRows(ds: Dataset, rows: ArrayLike<number>, note?: string): Dataset {
  const n = rows.length;
  // a row outside the set gave a row of zeros (subarray clamps), a fraction a shifted one
  for (let i = 0; i < n; i++)
    if (!Number.isInteger(rows[i]) || rows[i] < 0 || rows[i] >= ds.X.rows)
      throw new DataError(`takeRows: row ${i} is ${rows[i]}; rows must be integers in [0, ${ds.X.rows - 1}]`);
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

/**
 * Throws a `DataError` naming `op` unless `value` is a positive integer (and at most `max` when given).
 * @internal
 */
export function checkCount(op: string, name: string, value: number, max?: number): void {
  if (!Number.isInteger(value) || value < 1)
    throw new DataError(`${op}: ${name} must be a positive integer, got ${value}`);
  if (max !== undefined && value > max) throw new DataError(`${op}: ${name} = ${value} but only ${max} are available`);
}
