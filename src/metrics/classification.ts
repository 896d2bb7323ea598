/** Class predictions from a network's outputs. */

/** The index of each row's largest entry (the first of equal ones), for `rows` × `cols` values stored row-major. */
export function rowArgmax(values: ArrayLike<number>, rows: number, cols: number): Int32Array {
  if (values.length !== rows * cols)
    throw new Error(`rowArgmax: ${values.length} values are not ${rows} rows × ${cols} columns`);
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let k = 1; k < cols; k++) if (values[i * cols + k] > values[i * cols + best]) best = k;
    out[i] = best;
  }
  return out;
}
