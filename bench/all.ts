/**
 * `npm run bench`: the four benchmarks (linalg, hessian, train, curvature) one after the other in one invocation,
 * each with its PyTorch/numpy anchors timed in the same run, and their JSON collected with where and when they ran
 * into results/bench/bench.json (atomic). Prints the tables `bench/readme.ts` puts into the README.
 *   node dist/bench/all.js [--out results/bench/bench.json] [--only linalg,hessian,train,curvature]
 */
import { parseArgs } from "node:util";
import { spawnSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { checkoutState, packageRoot } from "../src/report/recorded";
import { speedReference } from "../src/report/speed";
import { writeFileAtomic } from "../src/util/files";
import { benchMarkdown, BenchRecord, BENCHES } from "./readme";

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    options: { out: { type: "string" }, only: { type: "string" } },
  });
  const only = values.only ? values.only.split(",").map((s) => s.trim()) : [...BENCHES];
  for (const b of only)
    if (!(BENCHES as readonly string[]).includes(b)) {
      console.error(`bench: --only takes ${BENCHES.join(", ")}; got "${b}"`);
      return 2;
    }
  const root = packageRoot();
  const out = path.resolve(values.out ?? path.join(root, "results", "bench", "bench.json"));
  const started = new Date().toISOString();
  const state = checkoutState(root);
  const speedStart = await speedReference("start");
  const runs: Record<string, unknown> = {};
  for (const b of only) {
    console.log(`bench: ${b} …`);
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [path.join(__dirname, `${b}.js`), "--json"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 64 * 2 ** 20,
    });
    const line = (r.stdout ?? "").trim().split("\n").pop() ?? "";
    if (r.status !== 0 || !line) {
      console.error(`bench: ${b} failed (exit ${r.status}); its output:\n${r.stdout}`);
      return 1;
    }
    runs[b] = JSON.parse(line);
    console.log(`bench: ${b} done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  const record: BenchRecord = {
    commit: state.commit,
    dirty: state.dirty,
    started,
    finished: new Date().toISOString(),
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    node: process.version,
    speed: [speedStart, await speedReference("end")],
    runs,
  };
  writeFileAtomic(out, JSON.stringify(record, null, 1) + "\n");
  console.log(benchMarkdown(record));
  console.log(
    `\nbench: written to ${out}${state.dirty ? " (WARNING: src/ has uncommitted changes)" : ""}; ` +
      `\`npm run bench:readme\` puts these tables into README.md`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
