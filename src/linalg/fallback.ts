/**
 * Pure-TypeScript kernels with the same contract as the LAPACK addon (src/linalg/native).
 * Slower, but they give the same answers: used when the addon is absent or when
 * RANKSCOPE_LINALG=typescript. Shapes are validated by the caller (ops.ts).
 *
 * - gemm: blocked i-k-j loops on row-major data.
 * - eigh: Householder tridiagonalisation followed by the implicit QL algorithm with Wilkinson-type
 *   shifts (the classic EISPACK tred2/tql2 pair), run on the transposed working copy so that the
 *   inner loops are contiguous.
 * - svd: Householder QR to reduce a tall matrix to a square one, then one-sided (Hestenes) Jacobi,
 *   which is accurate to machine precision relative to σ_max, including tiny singular values.
 * - solve: LU with partial pivoting. lstsq: minimum-norm solution through the SVD.
 */
import type { LinalgKernels, EighRaw, SvdRaw } from "./kernels";

const EPS = 2 ** -52;

function materialize(A: Float64Array, rows: number, cols: number, trans: boolean): Float64Array {
  // returns op(A) in row-major, where A is stored rows×cols
  if (!trans) return A;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = A[i * cols + j];
  return out;
}

function gemm(
  A: Float64Array,
  m: number,
  k: number,
  ta: boolean,
  B: Float64Array,
  n: number,
  tb: boolean,
  alpha: number,
): Float64Array {
  const a = ta ? materialize(A, k, m, true) : A; // m×k
  const b = tb ? materialize(B, n, k, true) : B; // k×n
  const C = new Float64Array(m * n);
  const KB = 128;
  const NB = 512;
  for (let p0 = 0; p0 < k; p0 += KB) {
    const pMax = Math.min(p0 + KB, k);
    for (let j0 = 0; j0 < n; j0 += NB) {
      const jMax = Math.min(j0 + NB, n);
      for (let i = 0; i < m; i++) {
        const ci = i * n;
        const ai = i * k;
        for (let p = p0; p < pMax; p++) {
          const aip = a[ai + p];
          if (aip === 0) continue;
          const bp = p * n;
          for (let j = j0; j < jMax; j++) C[ci + j] += aip * b[bp + j];
        }
      }
    }
  }
  if (alpha !== 1) for (let i = 0; i < C.length; i++) C[i] *= alpha;
  return C;
}

function syrk(A: Float64Array, rows: number, cols: number, trans: boolean, alpha: number): Float64Array {
  // trans: alpha·AᵀA (cols×cols); else alpha·AAᵀ (rows×rows)
  const C = trans ? gemm(A, cols, rows, true, A, cols, false, alpha) : gemm(A, rows, cols, false, A, rows, true, alpha);
  const n = trans ? cols : rows;
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) C[i * n + j] = C[j * n + i];
  return C;
}

/**
 * Symmetric eigendecomposition. W holds Vᵀ while working (W[c*n + r] = V[r][c]) so that the
 * column operations of the textbook algorithm touch contiguous memory.
 */
function eigh(A: Float64Array, n: number, wantVectors: boolean): EighRaw {
  const W = A.slice(); // A is symmetric, so Aᵀ = A
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n === 0) return { values: d, vectors: new Float64Array(0) };
  const v = (r: number, c: number) => W[c * n + r];
  // ---- Householder reduction to tridiagonal form ----
  for (let j = 0; j < n; j++) d[j] = v(n - 1, j);
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = v(i - 1, j);
        W[j * n + i] = 0; // V[i][j]
        W[i * n + j] = 0; // V[j][i]
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        W[i * n + j] = f; // V[j][i]
        const wj = j * n;
        g = e[j] + W[wj + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          const vkj = W[wj + k];
          g += vkj * d[k];
          e[k] += vkj * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        const wj = j * n;
        for (let k = j; k <= i - 1; k++) W[wj + k] -= f * e[k] + g * d[k];
        d[j] = W[wj + i - 1]; // V[i-1][j]
        W[wj + i] = 0; // V[i][j]
      }
    }
    d[i] = h;
  }
  if (wantVectors) {
    // ---- accumulate the transformations ----
    for (let i = 0; i < n - 1; i++) {
      W[i * n + n - 1] = W[i * n + i]; // V[n-1][i] = V[i][i]
      W[i * n + i] = 1;
      const h = d[i + 1];
      const wi1 = (i + 1) * n;
      if (h !== 0) {
        for (let k = 0; k <= i; k++) d[k] = W[wi1 + k] / h;
        for (let j = 0; j <= i; j++) {
          const wj = j * n;
          let g = 0;
          for (let k = 0; k <= i; k++) g += W[wi1 + k] * W[wj + k];
          for (let k = 0; k <= i; k++) W[wj + k] -= g * d[k];
        }
      }
      for (let k = 0; k <= i; k++) W[wi1 + k] = 0;
    }
    for (let j = 0; j < n; j++) {
      d[j] = W[j * n + n - 1];
      W[j * n + n - 1] = 0;
    }
    W[(n - 1) * n + n - 1] = 1;
  } else {
    for (let j = 0; j < n; j++) d[j] = W[j * n + j];
  }
  e[0] = 0;
  // ---- implicit QL on the tridiagonal matrix ----
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= EPS * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60 * n) throw new Error("eigh: implicit QL did not converge");
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          if (wantVectors) {
            const a0 = i * n;
            const a1 = (i + 1) * n;
            for (let k = 0; k < n; k++) {
              const hk = W[a1 + k];
              const vk = W[a0 + k];
              W[a1 + k] = s * vk + c * hk;
              W[a0 + k] = c * vk - s * hk;
            }
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > EPS * tst1);
    }
    d[l] = d[l] + f;
    e[l] = 0;
  }
  // ---- sort ascending; vectors: column j of the row-major output = eigenvector j ----
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => d[a] - d[b]);
  const values = new Float64Array(n);
  for (let j = 0; j < n; j++) values[j] = d[order[j]];
  if (!wantVectors) return { values, vectors: new Float64Array(0) };
  const vectors = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const src = order[j] * n; // row of W = eigenvector
    for (let i = 0; i < n; i++) vectors[i * n + j] = W[src + i];
  }
  return { values, vectors };
}

/**
 * Householder QR of a tall matrix given as its columns (Ct: n rows of length m, m ≥ n).
 * Returns R (n×n, row-major) and, if asked, the thin Q (as its n columns, each length m).
 */
function householderQR(Ct: Float64Array, m: number, n: number, wantQ: boolean): { R: Float64Array; Qt?: Float64Array } {
  const A = Ct.slice(); // column j at A[j*m .. j*m+m)
  const vs: Float64Array[] = [];
  const betas = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const cj = j * m;
    let norm = 0;
    for (let i = j; i < m; i++) norm += A[cj + i] * A[cj + i];
    norm = Math.sqrt(norm);
    const v = new Float64Array(m - j);
    if (norm === 0) {
      vs.push(v);
      betas[j] = 0;
      continue;
    }
    const alpha = A[cj + j] > 0 ? -norm : norm;
    for (let i = j; i < m; i++) v[i - j] = A[cj + i];
    v[0] -= alpha;
    let vnorm2 = 0;
    for (let i = 0; i < v.length; i++) vnorm2 += v[i] * v[i];
    const beta = vnorm2 === 0 ? 0 : 2 / vnorm2;
    vs.push(v);
    betas[j] = beta;
    // apply H = I − beta v vᵀ to columns j..n-1
    for (let c = j; c < n; c++) {
      const cc = c * m;
      let dot = 0;
      for (let i = j; i < m; i++) dot += v[i - j] * A[cc + i];
      dot *= beta;
      for (let i = j; i < m; i++) A[cc + i] -= dot * v[i - j];
    }
  }
  const R = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) R[i * n + j] = A[j * m + i];
  if (!wantQ) return { R };
  // Q = H_0 H_1 … H_{n-1} applied to the first n unit vectors
  const Qt = new Float64Array(n * m);
  for (let c = 0; c < n; c++) Qt[c * m + c] = 1;
  for (let j = n - 1; j >= 0; j--) {
    const v = vs[j];
    const beta = betas[j];
    if (beta === 0) continue;
    for (let c = 0; c < n; c++) {
      const cc = c * m;
      let dot = 0;
      for (let i = j; i < m; i++) dot += v[i - j] * Qt[cc + i];
      dot *= beta;
      for (let i = j; i < m; i++) Qt[cc + i] -= dot * v[i - j];
    }
  }
  return { R, Qt };
}

/** One-sided Jacobi on the columns G (n columns of length m, stored as rows of Gt). */
function jacobiSvdColumns(
  Gt: Float64Array,
  m: number,
  n: number,
  wantVectors: boolean,
): { s: Float64Array; Ut?: Float64Array; Vt?: Float64Array } {
  const G = Gt; // modified in place
  const V = wantVectors ? new Float64Array(n * n) : undefined; // row c of V-storage = column c of V
  if (V) for (let i = 0; i < n; i++) V[i * n + i] = 1;
  const tol = EPS * m;
  for (let sweep = 0; sweep < 80; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      const gp = p * m;
      for (let q = p + 1; q < n; q++) {
        const gq = q * m;
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < m; i++) {
          const a = G[gp + i];
          const b = G[gq + i];
          alpha += a * a;
          beta += b * b;
          gamma += a * b;
        }
        if (alpha === 0 || beta === 0 || Math.abs(gamma) <= tol * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < m; i++) {
          const a = G[gp + i];
          const b = G[gq + i];
          G[gp + i] = c * a - s * b;
          G[gq + i] = s * a + c * b;
        }
        if (V) {
          const vp = p * n;
          const vq = q * n;
          for (let i = 0; i < n; i++) {
            const a = V[vp + i];
            const b = V[vq + i];
            V[vp + i] = c * a - s * b;
            V[vq + i] = s * a + c * b;
          }
        }
      }
    }
    if (!rotated) break;
  }
  const norms = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += G[j * m + i] * G[j * m + i];
    norms[j] = Math.sqrt(s);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => norms[b] - norms[a]);
  const s = new Float64Array(n);
  for (let j = 0; j < n; j++) s[j] = norms[order[j]];
  if (!wantVectors) return { s };
  const Ut = new Float64Array(n * m);
  const Vt = new Float64Array(n * n);
  const smax = s[0] || 0;
  const filled: number[] = [];
  for (let j = 0; j < n; j++) {
    const src = order[j];
    for (let i = 0; i < n; i++) Vt[j * n + i] = V![src * n + i];
    if (s[j] > smax * EPS * m) {
      // columns with numerically zero σ carry no direction: they get an orthonormal completion
      for (let i = 0; i < m; i++) Ut[j * m + i] = G[src * m + i] / s[j];
      filled.push(j);
    }
  }
  completeOrthonormal(Ut, m, n, filled);
  return { s, Ut, Vt };
}

/** Fills the rows of Qt (n rows of length m) not listed in `filled` with an orthonormal completion. */
function completeOrthonormal(Qt: Float64Array, m: number, n: number, filled: number[]): void {
  const done = new Set(filled);
  const basis = filled.slice();
  let e = 0;
  for (let j = 0; j < n; j++) {
    if (done.has(j)) continue;
    const v = new Float64Array(m);
    for (; e < m; e++) {
      v.fill(0);
      v[e] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (const b of basis) {
          let dot = 0;
          for (let i = 0; i < m; i++) dot += Qt[b * m + i] * v[i];
          for (let i = 0; i < m; i++) v[i] -= dot * Qt[b * m + i];
        }
      }
      let nrm = 0;
      for (let i = 0; i < m; i++) nrm += v[i] * v[i];
      nrm = Math.sqrt(nrm);
      if (nrm > 0.5) {
        for (let i = 0; i < m; i++) Qt[j * m + i] = v[i] / nrm;
        basis.push(j);
        e++;
        break;
      }
    }
  }
}

function svd(A: Float64Array, m: number, n: number, wantVectors: boolean): SvdRaw {
  // Work on the orientation with more rows than columns: B = A (m ≥ n) or B = Aᵀ.
  const tall = m >= n;
  const rows = tall ? m : n;
  const cols = tall ? n : m;
  // columns of B as contiguous rows: Bt = Bᵀ, which is Aᵀ when tall, A when wide.
  const Bt = tall ? materialize(A, m, n, true) : A.slice();
  const k = cols;
  let s: Float64Array;
  let UBt: Float64Array | undefined; // k rows of length `rows`: left vectors of B
  let VBt: Float64Array | undefined; // k rows of length `cols`: right vectors of B
  if (rows > cols) {
    const { R, Qt } = householderQR(Bt, rows, cols, wantVectors);
    const Rt = materialize(R, cols, cols, true); // columns of R as rows
    const res = jacobiSvdColumns(Rt, cols, cols, wantVectors);
    s = res.s;
    if (wantVectors) {
      // U_B = Q · U_R  → rows: UBt[j] = Σ_c U_R[c][j] · Qt[c]
      UBt = new Float64Array(k * rows);
      for (let j = 0; j < k; j++) {
        for (let c = 0; c < cols; c++) {
          const w = res.Ut![j * cols + c];
          if (w === 0) continue;
          for (let i = 0; i < rows; i++) UBt[j * rows + i] += w * Qt![c * rows + i];
        }
      }
      VBt = res.Vt;
    }
  } else {
    const res = jacobiSvdColumns(Bt, rows, cols, wantVectors);
    s = res.s;
    UBt = res.Ut;
    VBt = res.Vt;
  }
  if (!wantVectors) return { s, u: new Float64Array(0), vt: new Float64Array(0) };
  // A = U S Vᵀ. tall: U = U_B (m×k), V = V_B. wide: A = Bᵀ = V_B S U_Bᵀ, so U = V_B, V = U_B.
  const leftT = tall ? UBt! : VBt!; // k rows of length m
  const rightT = tall ? VBt! : UBt!; // k rows of length n
  const u = new Float64Array(m * k);
  for (let j = 0; j < k; j++) for (let i = 0; i < m; i++) u[i * k + j] = leftT[j * m + i];
  const vt = rightT.slice(); // k×n row-major = Vᵀ
  return { s, u, vt };
}

function solve(A: Float64Array, n: number, B: Float64Array, nrhs: number): Float64Array {
  const a = A.slice();
  const x = B.slice();
  for (let k = 0; k < n; k++) {
    let piv = k;
    let best = Math.abs(a[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(a[i * n + k]);
      if (v > best) {
        best = v;
        piv = i;
      }
    }
    if (best === 0) throw new Error(`solve: matrix is singular (U(${k + 1},${k + 1}) = 0)`);
    if (piv !== k) {
      for (let j = 0; j < n; j++) {
        const t = a[k * n + j];
        a[k * n + j] = a[piv * n + j];
        a[piv * n + j] = t;
      }
      for (let j = 0; j < nrhs; j++) {
        const t = x[k * nrhs + j];
        x[k * nrhs + j] = x[piv * nrhs + j];
        x[piv * nrhs + j] = t;
      }
    }
    const akk = a[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const f = a[i * n + k] / akk;
      if (f === 0) continue;
      for (let j = k + 1; j < n; j++) a[i * n + j] -= f * a[k * n + j];
      for (let j = 0; j < nrhs; j++) x[i * nrhs + j] -= f * x[k * nrhs + j];
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    const akk = a[k * n + k];
    for (let j = 0; j < nrhs; j++) {
      let s = x[k * nrhs + j];
      for (let i = k + 1; i < n; i++) s -= a[k * n + i] * x[i * nrhs + j];
      x[k * nrhs + j] = s / akk;
    }
  }
  return x;
}

function lstsq(
  A: Float64Array,
  m: number,
  n: number,
  B: Float64Array,
  nrhs: number,
  rcond: number,
): { x: Float64Array; rank: number } {
  const { s, u, vt } = svd(A, m, n, true);
  const k = s.length;
  const cut = rcond * (k ? s[0] : 0);
  const x = new Float64Array(n * nrhs);
  let rank = 0;
  for (let j = 0; j < k; j++) {
    if (!(s[j] > cut)) continue;
    rank++;
    for (let r = 0; r < nrhs; r++) {
      let dot = 0;
      for (let i = 0; i < m; i++) dot += u[i * k + j] * B[i * nrhs + r];
      const coef = dot / s[j];
      for (let i = 0; i < n; i++) x[i * nrhs + r] += coef * vt[j * n + i];
    }
  }
  return { x, rank };
}

export const fallbackKernels: LinalgKernels = {
  name: "typescript",
  gemm,
  syrk,
  eigh,
  svd,
  solve,
  lstsq,
};
