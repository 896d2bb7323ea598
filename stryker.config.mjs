import process from "node:process";
import fs from "node:fs";

// Mutation testing of the core (`npm run mutate`; not part of `npm test`: the whole core takes hours).
// Stryker copies the project into .stryker-tmp/, inserts every mutant of the TypeScript sources listed in `mutate`
// behind a switch, compiles the copy with `npm run build` (the mutated files get `// @ts-nocheck`), and runs the
// compiled test files (dist/test/**/*.test.js) with its TAP runner, one `node` process per test file. Coverage is per
// test file, so each mutant is run against the test files that execute it only.
//
// One module:  npm run mutate -- --mutate src/util/options.ts
// Fewer test files (a comma-separated list of globs of compiled tests; the default is every test file):
//              MUTATE_TESTS=dist/test/util/option-rules.test.js,dist/test/util/options.test.js npm run mutate -- --mutate …
// Reports: reports/mutation/mutation.html and reports/mutation/mutation.json; with MUTATE_NAME=<name>,
// reports/mutation/<name>.html and .json, and an incremental record reports/mutation/<name>.incremental.json that a
// later `npm run mutate -- --incremental` of the same module reads (only mutants whose code or covering test files
// changed are run again).

/** The core: numerical kernels, curvature, metrics, training, reports, cache, worker pool, options and the claims. */
const core = [
  "src/linalg/**/*.ts",
  "src/curvature/**/*.ts",
  "src/metrics/**/*.ts",
  "src/training/**/*.ts",
  "src/report/**/*.ts",
  "src/cache/**/*.ts",
  "src/parallel/**/*.ts",
  "src/util/options.ts",
  "src/experiments/*/claims.ts",
];

const name = process.env.MUTATE_NAME || "mutation";

/**
 * MUTATE_SURVIVORS_OF=reports/mutation/<name>.json: mutate only where that report's mutants survived or had no
 * coverage (each one's exact span; mutants nested inside such a span come along), e.g. after adding tests.
 * `node .ci/mutation-score.mjs <earlier report> <re-run report>` then counts every mutant once: the re-run's result where
 * it ran, else the earlier one (valid only while the mutated sources are unchanged and no test that killed a mutant
 * was removed). Stryker's --incremental does not help here: with the TAP runner it re-ran all but 10 of 1647.
 */
function survivorSpans(report) {
  const r = JSON.parse(fs.readFileSync(report, "utf8"));
  const spans = [];
  for (const [file, f] of Object.entries(r.files))
    for (const m of f.mutants)
      if (m.status === "Survived" || m.status === "NoCoverage") {
        const { start, end } = m.location; // report columns are 1-based, a mutate range's 0-based
        spans.push(`${file}:${start.line}:${start.column - 1}-${end.line}:${end.column - 1}`);
      }
  return [...new Set(spans)];
}
const testFiles = process.env.MUTATE_TESTS ? process.env.MUTATE_TESTS.split(",") : ["dist/test/**/*.test.js"];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "tap",
  tap: { testFiles, nodeArgs: ["--test-reporter=tap", "-r", "{{hookFile}}", "{{testFile}}"] },
  // the sandbox (.stryker-tmp/sandbox-…) links the project's build/ (the LAPACK addon), then compiles
  buildCommand: "npm run mutate:build",
  mutate: process.env.MUTATE_SURVIVORS_OF ? survivorSpans(process.env.MUTATE_SURVIVORS_OF) : core,
  // the compiled output, the recorded results, notebooks and caches are not needed in the sandbox
  ignorePatterns: [
    "build",
    "dist",
    // the recorded paper-preset results stay (tests read the records and their figures); the rest of results/ not
    "results/*",
    "!results/paper",
    "notebooks/executed",
    "notebooks/exports",
    "docs",
    "out",
    "reports",
    ".rankscope-cache",
    "bench/**/*.json",
  ],
  coverageAnalysis: "perTest",
  concurrency: 1,
  // test files that train networks take tens of seconds; a slow machine shared with others needs slack
  timeoutMS: 60000,
  timeoutFactor: 2,
  dryRunTimeoutMinutes: 60,
  reporters: ["html", "json", "clear-text", "progress"],
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  incrementalFile: `reports/mutation/${name}.incremental.json`,
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
};
