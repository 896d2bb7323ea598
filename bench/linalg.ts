/**
 * Benchmark: eigvalsh, eigh and singular values of random symmetric n×n matrices on the LAPACK path
 * and the TypeScript fallback, beside numpy/LAPACK timed in the same run.
 *   node dist/bench/linalg.js [--sizes 500,1000,2000] [--fallback-max 1000] [--json]
 */
import * as la from "../src/linalg";
import { Matrix } from "../src/linalg";
import { Rng } from "../src/util/random";
import { runReference, time } from "./reference";
import { parseFlags } from "../src/cli/args";

const flags = parseFlags("linalg bench", process.argv.slice(2), {
  sizes: "string",
  "fallback-max": "string",
  json: "boolean",
});
const sizes = String(flags.sizes ?? "500,1000,2000")
  .split(",")
  .map(Number);
const fallbackMax = Number(flags["fallback-max"] ?? 1000);
const asJson = flags.json === true;

function randomSymmetric(n: number, seed: number): Matrix {
  const A = new Matrix(n, n, new Rng(seed).normals(n * n));
  return la.symmetrize(A);
}

type Row = {
  n: number;
  op: string;
  lapack_s: number | null;
  typescript_s: number | null;
  numpy_s: number | null;
  ratio_lapack_to_numpy: number | null;
  ratio_typescript_to_numpy: number | null;
};
const rows: Row[] = [];
const ops: [string, string, (A: Matrix) => unknown][] = [
  ["eigvalsh", "eigvalsh_s", (A) => la.eigvalsh(A)],
  ["eigh", "eigh_s", (A) => la.eigh(A)],
  ["svdvals", "svdvals_s", (A) => la.svdvals(A)],
];
const log = (s: string) => {
  if (!asJson) console.log(s);
};
log(
  `linalg benchmark: addon ` +
    `${la.nativeAvailable() ? "loaded" : "absent (" + la.nativeStatus() + ")"}; OpenBLAS ` +
    `threads ${la.setThreads(2)}`,
);
for (const n of sizes) {
  const A = randomSymmetric(n, n);
  const ref = runReference(["eig", "--n", String(n)]);
  for (const [op, key, f] of ops) {
    let lap: number | null = null;
    let ts: number | null = null;
    if (la.nativeAvailable()) {
      la.useBackend("lapack");
      f(A); // warm-up (thread pool start)
      lap = Math.min(time(() => f(A)).seconds, time(() => f(A)).seconds);
    }
    if (n <= fallbackMax) {
      la.useBackend("typescript");
      ts = time(() => f(A)).seconds;
    }
    const np = typeof ref[key] === "number" ? (ref[key] as number) : null;
    const row: Row = {
      n,
      op,
      lapack_s: lap,
      typescript_s: ts,
      numpy_s: np,
      ratio_lapack_to_numpy: lap !== null && np ? lap / np : null,
      ratio_typescript_to_numpy: ts !== null && np ? ts / np : null,
    };
    rows.push(row);
    const f3 = (v: number | null) => (v === null ? "—" : v.toFixed(3));
    const fr = (v: number | null) => (v === null ? "—" : v.toFixed(2) + "×");
    log(
      `n=${String(n).padEnd(5)} ${op.padEnd(9)} lapack ${f3(lap).padStart(8)} s  typescript ` +
        `${(ts === null ? `skipped (n > --fallback-max ${fallbackMax})` : f3(ts) + " s").padStart(10)} ` +
        ` numpy ${f3(np).padStart(8)} s  ratio lapack/numpy ${fr(row.ratio_lapack_to_numpy)}  ` +
        `typescript/numpy ${fr(row.ratio_typescript_to_numpy)}`,
    );
  }
  if (ref.error) log(`  numpy reference: ${ref.error}`);
  else log(`  reference: ${ref.engine}`);
}
if (asJson) console.log(JSON.stringify({ benchmark: "linalg", addon: la.nativeAvailable(), rows }));
