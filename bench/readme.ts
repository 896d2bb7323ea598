/**
 * The README's benchmark tables, generated from results/bench/bench.json (written by `npm run bench`, bench/all.ts):
 *   node dist/bench/readme.js [--in results/bench/bench.json] [--update-readme]
 * prints them as Markdown; with --update-readme replaces the block between <!-- bench:start --> and <!-- bench:end -->.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { packageRoot } from "../src/report/recorded";
import type { SpeedReference } from "../src/report/speed";
import { writeFileAtomic } from "../src/util/files";

export const BENCHES = ["linalg", "hessian", "train", "curvature"] as const;

/** What `npm run bench` writes: where and when it ran, the machine's speed reference, and each benchmark's JSON. */
export interface BenchRecord {
  commit: string;
  dirty: boolean;
  started: string;
  finished: string;
  cpu: string;
  cores: number;
  node: string;
  speed: SpeedReference[];
  runs: Record<string, unknown>;
}

type Row = Record<string, unknown>;
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const f = (v: unknown, d = 3) => (num(v) === null ? "—" : (v as number).toFixed(d));
const ratio = (a: unknown, b: unknown) => (num(a) !== null && num(b) ? f((a as number) / (b as number), 2) : "—");
const table = (head: string[], rows: string[][]) =>
  [
    `| ${head.join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");

function linalgTable(run: { rows: Row[] }): string {
  const sizes = [...new Set(run.rows.map((r) => r.n as number))];
  const ops = ["eigvalsh", "eigh", "svdvals"];
  const get = (n: number, op: string) => run.rows.find((r) => r.n === n && r.op === op) ?? {};
  return table(
    [
      "n (2 threads)",
      ...ops.map((op) => `${op}: rankscope / numpy, s (ratio)`),
      "TypeScript fallback eigvalsh / eigh / svdvals, s",
    ],
    sizes.map((n) => [
      String(n),
      ...ops.map((op) => {
        const r = get(n, op);
        return `${f(r.lapack_s)} / ${f(r.numpy_s)} (${f(r.ratio_lapack_to_numpy, 2)})`;
      }),
      ops.map((op) => f(get(n, op).typescript_s)).join(" / "),
    ]),
  );
}

function hessianTable(run: { rows: Row[] }): string {
  const small = run.rows.filter((r) => r.act === "linear" || (r.act === "tanh" && !r.sizes));
  const rows = small.map((r) => {
    const faster = Math.min(num(r.torch_hessian_s) ?? Infinity, num(r.torch_vectorize_hessian_s) ?? Infinity);
    return [
      `${r.act}, p = ${r.p}`,
      `${f(r.general_hessian_s)} s`,
      `${f(r.torch_hessian_s)} s / ${f(r.torch_vectorize_hessian_s)} s`,
      Number.isFinite(faster) ? ratio(r.general_hessian_s, faster) : "—",
      `${f(r.eigvalsh_s)} s`,
      `${f(r.torch_same_matrix_eigvalsh_s)} s / ${f(r.numpy_same_matrix_eigvalsh_s)} s`,
      ratio(r.eigvalsh_s, r.torch_same_matrix_eigvalsh_s),
      `${r.rank_H} (${r.torch_rank_H ?? "—"})`,
    ];
  });
  let out = table(
    [
      "[64, 30, 20, 10], N = 1000, MSE",
      "exact Hessian, 1 thread",
      "PyTorch default / vectorize=True",
      "ratio to the faster",
      "eigvalsh, 2 threads, best of 3",
      "PyTorch / numpy on the same matrix",
      "ratio to PyTorch",
      "rank H (PyTorch)",
    ],
    rows,
  );
  const lin = small.find((r) => r.act === "linear");
  if (lin && num(lin.closed_form_s) !== null)
    out +=
      `\n\nLinear closed form, same sizes: ${f(lin.closed_form_s)} s ` +
      `(${f(lin.speedup_closed_form_vs_torch, 1)}× faster than PyTorch's default).`;
  const large = run.rows.find((r) => Array.isArray(r.sizes));
  if (large)
    out +=
      ` A larger net, [${(large.sizes as number[]).join(", ")}] tanh (p = ${large.p}): Hessian ` +
      `${f(large.general_hessian_s, 1)} s, eigvalsh ${f(large.eigvalsh_s, 1)} s (2 threads), ` +
      `rank ${large.rank_H}, ${f(large.rss_gib, 2)} GiB resident.`;
  return out;
}

function trainTable(run: { rows: Row[] }): string {
  const tfKey = (r: Row) => Object.keys(r).find((k) => /^tfjs_.*_ms$/.test(k));
  const dense = run.rows.filter((r) => Array.isArray(r.sizes));
  let out = table(
    [
      "net (batch, optimiser), 1 thread",
      "native float64",
      "PyTorch float64",
      "ratio",
      "native float32",
      "PyTorch float32",
      "ratio",
      "engine float64 loop",
      "tfjs",
    ],
    dense.map((r) => [
      `${r.net} [${(r.sizes as number[]).join(",")}] ${r.act} (${r.batch}, ${r.opt})`,
      `${f(r.native_float64_ms, 2)} ms`,
      `${f(r.torch_float64_ms, 2)} ms`,
      f(r.ratio_float64_to_torch, 2),
      `${f(r.native_float32_ms, 2)} ms`,
      `${f(r.torch_float32_ms, 2)} ms`,
      f(r.ratio_float32_to_torch, 2),
      `${f(r.engine_float64_ms, 2)} ms`,
      (() => {
        const k = tfKey(r);
        return k ? `${f(r[k], 2)} ms (${k.slice(5, -3)})` : "—";
      })(),
    ]),
  );
  const vgg = run.rows.find((r) => r.net === "Chen VGG");
  if (vgg) {
    const k = tfKey(vgg);
    out +=
      "\n\n" +
      table(
        [
          "Chen VGG [16,M,16,M,32,M,64,M,64,M] + [128, 2], 28×28×1, batch 20, SGD, 1 thread",
          "native float32",
          "PyTorch float32 (NCHW, bench/vgg_reference.py)",
          "ratio",
          "tfjs",
        ],
        [
          [
            `p = ${vgg.p}, ms per step`,
            f(vgg.native_float32_ms, 2),
            f(vgg.torch_float32_ms, 2),
            f(vgg.ratio_float32_to_torch, 2),
            k ? `${f(vgg[k], 2)} (${k.slice(5, -3)})` : "—",
          ],
        ],
      );
  }
  return out;
}

function curvatureTable(rows: Row[]): string {
  const hvp = rows.filter((r) => Array.isArray(r.sizes));
  let out = table(
    [
      "Hessian-vector product, float64, full batch, 1 thread",
      "rankscope, ms",
      "each in a block of 16, ms",
      "PyTorch double backward, ms",
      "ratio (block)",
    ],
    hvp.map((r) => [
      `[${(r.sizes as number[]).join(",")}] ${r.act}, N = ${r.N}, p = ${r.p}`,
      f(r.ms_per_hvp, 2),
      f(r.ms_per_hvp_in_block_of_16, 2),
      f(r.torch_ms_per_hvp, 2),
      `${f(r.ratio, 2)} (${f(r.ratio_block, 2)})`,
    ]),
  );
  const d = rows.find((r) => r.density)?.density as Row | undefined;
  if (d)
    out +=
      `\n\nSLQ spectral density of [${(d.sizes as number[]).join(",")}] (p = ${d.p}, N = ` +
      `${d.N}): ${d.probes} probes × ${d.steps} Lanczos steps in ${f(d.seconds, 1)} s.`;
  return out;
}

export function benchMarkdown(rec: BenchRecord): string {
  const ms = (v: number | null) => (v === null ? "—" : `${v.toFixed(2)} ms`);
  const parts = [
    `From one \`npm run bench\` at commit ` +
      `\`${rec.commit.slice(0, 7)}\`${rec.dirty ? " (uncommitted changes)" : ""}, ` +
      `${rec.started.slice(0, 16).replace("T", " ")}–${rec.finished.slice(11, 16)} UTC, ` +
      `${rec.cpu}, ${rec.cores} cores, Node ${rec.node} ` +
      (`([\`results/bench/bench.json\`](results/bench/bench.json)); every reference was timed in ` +
        `the same run. Machine speed (speed.ts; the Chen MLP float64 step, 1 thread) at start → end: `) +
      (`PyTorch ${rec.speed.map((s) => ms(s.torchMs)).join(" → ")}, native ` +
        `${rec.speed.map((s) => ms(s.nativeMs)).join(" → ")}.`),
  ];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bench.json's rows are read field by field below
  const runs = rec.runs as Record<string, any>;
  if (runs.linalg)
    parts.push(
      `**Eigenvalues and singular values** of random symmetric n×n matrices ` +
        `(\`bench/linalg.ts\`):\n\n${linalgTable(runs.linalg)}`,
    );
  if (runs.hessian)
    parts.push(`**Exact Hessian and its spectrum** (\`bench/hessian.ts\`):\n\n${hessianTable(runs.hessian)}`);
  if (runs.train)
    parts.push(
      `**Training steps** (\`bench/train.ts\`; PyTorch's anchors from \`torch_reference.py ` +
        `train\`: same sizes, batch, optimiser, dtype, biases; Patel's PyTorch anchor runs ` +
        `Adam):\n\n${trainTable(runs.train)}`,
    );
  if (runs.curvature)
    parts.push(`**Matrix-free curvature** (\`bench/curvature.ts\`):\n\n${curvatureTable(runs.curvature)}`);
  return parts.join("\n\n");
}

function main(): number {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    options: { in: { type: "string" }, "update-readme": { type: "boolean" } },
  });
  const root = packageRoot();
  const file = path.resolve(values.in ?? path.join(root, "results", "bench", "bench.json"));
  if (!fs.existsSync(file)) {
    console.error(`bench:readme: ${file} not found (run \`npm run bench\` first)`);
    return 1;
  }
  const md = benchMarkdown(JSON.parse(fs.readFileSync(file, "utf8")));
  if (!values["update-readme"]) {
    console.log(md);
    return 0;
  }
  const readme = path.join(root, "README.md");
  const text = fs.readFileSync(readme, "utf8");
  const start = "<!-- bench:start -->";
  const end = "<!-- bench:end -->";
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) {
    console.error(`bench:readme: README.md has no ${start} … ${end} block`);
    return 1;
  }
  writeFileAtomic(
    readme,
    `${text.slice(0, i + start.length)}\n<!-- generated by \`npm run bench:readme\` from ` +
      `results/bench/bench.json; do not edit by hand -->\n\n${md}\n\n${text.slice(j)}`,
  );
  console.log(`bench:readme: README.md updated from ${path.relative(root, file)}`);
  return 0;
}

if (require.main === module) process.exit(main());
