/**
 * Dense float64 matrices: row-major `Float64Array` storage with an explicit shape.
 * Entry (i, j) of an m×n matrix lives at `data[i * n + j]`.
 */
export class Matrix {
  readonly data: Float64Array;
  /**
   * `data` is used as it is when it is a Float64Array (shared, not copied); any other array of numbers
   * (a plain Array, a Float32Array) is copied into a new Float64Array.
   */
  constructor(
    readonly rows: number,
    readonly cols: number,
    data?: Float64Array | ArrayLike<number>,
  ) {
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new LinalgError(`Matrix: shape must be two non-negative integers, got ${rows}×${cols}`);
    }
    if (data === undefined) {
      try {
        data = new Float64Array(rows * cols);
      } catch (err) {
        // "Invalid typed array length: 10000000000" named neither the shape nor the size
        throw new LinalgError(
          `Matrix: a ${rows}×${cols} float64 matrix (${(rows * cols * 8 * 2 ** -30).toPrecision(3)} GiB) cannot be ` +
            `allocated (${(err as Error).message}); use smaller sizes`,
        );
      }
    } else if (!(data instanceof Float64Array)) {
      if (typeof (data as ArrayLike<number>).length !== "number")
        throw new LinalgError(`Matrix: data must be a Float64Array or an array of numbers, got ${typeof data}`);
      data = Float64Array.from(data as ArrayLike<number>);
    }
    this.data = data as Float64Array;
    if (data.length !== rows * cols) {
      throw new LinalgError(`Matrix: ${rows}×${cols} needs ${rows * cols} entries, got ${data.length}`);
    }
  }

  /** A new rows×cols matrix of zeros. */
  static zeros(rows: number, cols: number): Matrix {
    return new Matrix(rows, cols);
  }

  /** The n×n identity matrix. */
  static identity(n: number): Matrix {
    const m = new Matrix(n, n);
    for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
    return m;
  }

  /** The n×n diagonal matrix with `values` on its diagonal (n = values.length). */
  static diag(values: ArrayLike<number>): Matrix {
    const n = values.length;
    const m = new Matrix(n, n);
    for (let i = 0; i < n; i++) m.data[i * n + i] = values[i];
    return m;
  }

  /** From nested arrays (each inner array is one row). */
  static from(rows: ArrayLike<ArrayLike<number>>): Matrix {
    const m = rows.length;
    const n = m ? rows[0].length : 0;
    const out = new Matrix(m, n);
    for (let i = 0; i < m; i++) {
      if (rows[i].length !== n)
        throw new LinalgError(`Matrix.from: row ${i} has ${rows[i].length} entries, row 0 has ${n}`);
      for (let j = 0; j < n; j++) out.data[i * n + j] = rows[i][j];
    }
    return out;
  }

  get shape(): [number, number] {
    return [this.rows, this.cols];
  }

  /** Entry (i, j), zero-based; indices are not bounds-checked. */
  get(i: number, j: number): number {
    return this.data[i * this.cols + j];
  }

  /** Sets entry (i, j) to `v` in place, zero-based; indices are not bounds-checked. */
  set(i: number, j: number, v: number): void {
    this.data[i * this.cols + j] = v;
  }

  /** Row i as a view into `data` (a subarray, not a copy: writing to it changes the matrix). */
  row(i: number): Float64Array {
    return this.data.subarray(i * this.cols, (i + 1) * this.cols);
  }

  /** Column j as a new Float64Array (a copy). */
  col(j: number): Float64Array {
    const out = new Float64Array(this.rows);
    for (let i = 0; i < this.rows; i++) out[i] = this.data[i * this.cols + j];
    return out;
  }

  /** A deep copy (new storage). */
  clone(): Matrix {
    return new Matrix(this.rows, this.cols, this.data.slice());
  }

  /** The transpose, as a new cols×rows matrix (new storage). */
  transpose(): Matrix {
    const { rows: m, cols: n, data } = this;
    const out = new Float64Array(m * n);
    const B = 32;
    for (let i0 = 0; i0 < m; i0 += B) {
      for (let j0 = 0; j0 < n; j0 += B) {
        const iMax = Math.min(i0 + B, m);
        const jMax = Math.min(j0 + B, n);
        for (let i = i0; i < iMax; i++) for (let j = j0; j < jMax; j++) out[j * m + i] = data[i * n + j];
      }
    }
    return new Matrix(n, m, out);
  }

  /** The entries as nested plain arrays, one inner array per row (the inverse of `Matrix.from`). */
  toArray(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) out.push(Array.from(this.row(i)));
    return out;
  }

  /** `Matrix(m×n)`: the shape only, not the entries. */
  toString(): string {
    return `Matrix(${this.rows}×${this.cols})`;
  }
}

/** Every error raised by the linear-algebra layer: names the operation and the shapes involved. */
export class LinalgError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LinalgError";
  }
}

export function shapeOf(a: Matrix): string {
  return `${a.rows}×${a.cols}`;
}

/** Throws when any entry is NaN or ±Inf. */
export function assertFinite(op: string, a: Matrix, name = "input"): void {
  const d = a.data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i])) {
      const r = Math.floor(i / a.cols);
      const c = i - r * a.cols;
      throw new LinalgError(`${op}: ${name} (${shapeOf(a)}) has a non-finite entry ${d[i]} at (${r}, ${c})`);
    }
  }
}

export function assertSquare(op: string, a: Matrix, name = "input"): void {
  if (a.rows !== a.cols) throw new LinalgError(`${op}: ${name} must be square, got ${shapeOf(a)}`);
}

/**
 * Throws unless `a` is symmetric to within `1e-10 · max|a_ij|` (a computed Hessian is symmetric to
 * rounding; anything larger is a caller's mistake).
 */
export function assertSymmetric(op: string, a: Matrix, name = "input"): void {
  assertSquare(op, a, name);
  const n = a.rows;
  const d = a.data;
  let maxAbs = 0;
  for (let i = 0; i < d.length; i++) maxAbs = Math.max(maxAbs, Math.abs(d[i]));
  const tol = 1e-10 * maxAbs;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const diff = Math.abs(d[i * n + j] - d[j * n + i]);
      if (diff > tol) {
        throw new LinalgError(
          `${op}: ${name} (${shapeOf(a)}) is not symmetric: |a[${i},${j}] − a[${j},${i}]| = ` +
            `${diff.toExponential(3)} > ${tol.toExponential(3)}`,
        );
      }
    }
  }
}

/** (A + Aᵀ)/2 in place; returns A. */
export function symmetrize(a: Matrix): Matrix {
  assertSquare("symmetrize", a);
  const n = a.rows;
  const d = a.data;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = 0.5 * (d[i * n + j] + d[j * n + i]);
      d[i * n + j] = v;
      d[j * n + i] = v;
    }
  }
  return a;
}
