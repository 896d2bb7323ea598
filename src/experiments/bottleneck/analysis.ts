/**
 * Plane geometry for the symmetry experiment: whether GD paths drawn in a 2-D representation cross,
 * and whether a 2-D representation and the summary statistics determine each other.
 */

export type Point = [number, number];

/** Proper intersection of segments pq and rs (touching at an endpoint does not count). */
export function segmentsCross(p: Point, q: Point, r: Point, s: Point): boolean {
  const orient = (a: Point, b: Point, c: Point) => (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  const d1 = orient(r, s, p);
  const d2 = orient(r, s, q);
  const d3 = orient(p, q, r);
  const d4 = orient(p, q, s);
  return d1 * d2 < 0 && d3 * d4 < 0;
}

/** Number of crossings between segments of different polylines. */
export function countCrossings(paths: Point[][]): number {
  let c = 0;
  for (let i = 0; i < paths.length; i++)
    for (let j = i + 1; j < paths.length; j++)
      for (let a = 0; a + 1 < paths[i].length; a++)
        for (let b = 0; b + 1 < paths[j].length; b++)
          if (segmentsCross(paths[i][a], paths[i][a + 1], paths[j][b], paths[j][b + 1])) c++;
  return c;
}

/**
 * Cuts every path at its first point within `frac` × (diameter of `cloud`'s bounding box) of the paths'
 * common end (the mean of their final points): paths that converge to one minimiser all meet there, so
 * crossings counted inside that neighbourhood say nothing about the representation.
 */
export function trimNearCommonEnd(paths: Point[][], cloud: Point[], frac: number): Point[][] {
  const end = [0, 1].map((c) => paths.reduce((a, p) => a + p[p.length - 1][c], 0) / paths.length);
  const span = [0, 1].map((c) => Math.max(...cloud.map((q) => q[c])) - Math.min(...cloud.map((q) => q[c])));
  const radius = frac * Math.hypot(span[0], span[1]);
  return paths.map((p) => {
    const i = p.findIndex((q) => Math.hypot(q[0] - end[0], q[1] - end[1]) < radius);
    return i < 0 ? p : p.slice(0, Math.max(2, i + 1));
  });
}

/**
 * Leave-one-out k-nearest-neighbour regression of `to` from `from` (both n points), as R² averaged
 * over the output coordinates: close to 1 when `to` is a (continuous) function of `from` on the data.
 * Each input coordinate is scaled to unit variance first.
 */
export function knnR2(from: number[][], to: number[][], k = 5): number {
  const n = from.length;
  if (n !== to.length || n <= k)
    throw new Error(`knnR2: needs equally many points (more than k = ${k}), got ${from.length} and ${to.length}`);
  const dIn = from[0].length;
  const sd = Array.from({ length: dIn }, (_, j) => {
    const m = from.reduce((a, p) => a + p[j], 0) / n;
    return Math.sqrt(from.reduce((a, p) => a + (p[j] - m) ** 2, 0) / n) || 1;
  });
  const X = from.map((p) => p.map((v, j) => v / sd[j]));
  const dOut = to[0].length;
  const pred = to.map(() => new Array(dOut).fill(0));
  for (let i = 0; i < n; i++) {
    const dist: [number, number][] = [];
    for (let j = 0; j < n; j++) if (j !== i) dist.push([X[i].reduce((a, v, t) => a + (v - X[j][t]) ** 2, 0), j]);
    dist.sort((x, y) => x[0] - y[0]);
    for (let t = 0; t < k; t++) for (let o = 0; o < dOut; o++) pred[i][o] += to[dist[t][1]][o] / k;
  }
  let r2 = 0;
  for (let o = 0; o < dOut; o++) {
    const m = to.reduce((a, p) => a + p[o], 0) / n;
    const tot = to.reduce((a, p) => a + (p[o] - m) ** 2, 0);
    const res = to.reduce((a, p, i) => a + (p[o] - pred[i][o]) ** 2, 0);
    r2 += tot > 0 ? 1 - res / tot : 1;
  }
  return r2 / dOut;
}
