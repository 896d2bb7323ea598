#!/usr/bin/env node
/**
 * rankscope command line.
 *   rankscope hessian [--sizes 64,30,20,10] [--n 1000] [--act tanh] [--bias] [--loss mse|ce|logcosh]
 *                     [--data gaussian|mnist|fashion] [--seed 0] [--init glorot-normal] [--closed-form]
 *                     [--json] [--export-problem FILE]
 *   rankscope reproduce [--study NAME] [--preset quick|paper] [--out DIR] [--record] [--strict]
 *   rankscope claims [--preset paper] [--update-readme]
 *   rankscope notebooks [--out DIR] | --browser [--only NAME] [--json FILE]
 *   rankscope figure <study>.<figure> [--set option=value …] [--format svg|png|pdf] --out FILE
 *   rankscope ledger <study> [--format markdown|latex] [--from FILE]
 *   rankscope worker --queue redis://HOST:PORT [--concurrency N]
 */
import { parseFlags, UsageError } from "./args";
import { checkEnvironment, EnvError } from "../util/env";
import { installInterruptHandlers, interrupted } from "../util/interrupt";
import {
  HESSIAN_FLAGS,
  HESSIAN_HELP,
  hessianOptionsFromFlags,
  runHessian,
  buildHessianProblem,
  exportProblem,
  checkResources,
} from "./hessian";

const USAGE = `usage: rankscope <command> [options]
commands:
  hessian     exact Hessian, H_o and H_f of one network: ranks, formulas, timings (--json for JSON)
  reproduce   run the studies, print their claims ledgers, write figures + summary.json (--help for options)
  claims      the recorded claims ledgers as Markdown (--update-readme)
  notebooks   execute every notebook headless with nbconvert (--out DIR); --browser: Run All in Notebook 6 in Chromium
  figure      one figure of a study with changed options, exported: figure singh.fig2a --set sweepN=[10,20] --out f.svg
  ledger      a result's claims ledger as a Markdown or LaTeX (booktabs) table (--help for options)
  worker      run study tasks from a job queue: worker --queue redis://HOST:PORT [--concurrency N] (--help)`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  checkEnvironment();
  // the long asynchronous commands stop cleanly on Ctrl-C; `hessian` is one synchronous computation, which
  // Node's default handling stops at once (a handler could only run after it finished)
  if (cmd === "reproduce")
    installInterruptHandlers(
      "rankscope reproduce",
      "finished study tasks are checkpointed: run the same command again to resume",
    );
  if (cmd === "notebooks")
    installInterruptHandlers(
      "rankscope notebooks",
      "the Jupyter kernels are stopped; finished study tasks are checkpointed, so re-running a notebook resumes",
    );
  if (!cmd || cmd === "--help" || cmd === "-h") {
    console.log(USAGE);
    return cmd ? 0 : 2;
  }
  if (cmd === "hessian") {
    const flags = parseFlags("hessian", rest, HESSIAN_FLAGS);
    if (flags.help) {
      console.log(HESSIAN_HELP);
      return 0;
    }
    const opts = hessianOptionsFromFlags(flags);
    if (typeof flags["export-problem"] === "string") {
      checkResources(opts, "export", flags["export-problem"]);
      exportProblem(buildHessianProblem(opts).problem, flags["export-problem"]);
      console.error(`problem written to ${flags["export-problem"]}`);
      return 0;
    }
    checkResources(opts, "hessian");
    const report = runHessian(opts, flags.json ? undefined : (s) => console.error(s));
    if (flags.json) console.log(JSON.stringify(report));
    else {
      console.log(
        `p = ${report.p}, N = ${report.N}, ${report.sizes.join("-")} ` +
          `${report.act}${report.bias ? " +bias" : ""}, ${report.loss}, path ${report.path}, linalg ` +
          `${report.linalg}`,
      );
      console.log(`rank H = ${report.rank_H}, rank H_o = ${report.rank_Ho}, rank H_f = ${report.rank_Hf}`);
      if (report.formula)
        console.log(
          `formulas (Singh et al.): H ${report.formula.H}, H_o ` +
            `${report.formula.HoIsBound ? "≤ " : ""}${report.formula.Ho}, H_f ` +
            `${report.formula.Hf ?? "—"}`,
        );
      console.log(`Hessian ${report.hessian_s.toFixed(3)} s, eigenvalues ${report.eigenvalues_s.toFixed(3)} s`);
    }
    return 0;
  }
  if (cmd === "figure")
    installInterruptHandlers("rankscope figure", "finished study tasks are checkpointed: run the same command again");
  if (
    cmd === "reproduce" ||
    cmd === "notebooks" ||
    cmd === "claims" ||
    cmd === "figure" ||
    cmd === "ledger" ||
    cmd === "worker"
  ) {
    const mod = require(`./${cmd}`);
    return mod.main(rest);
  }
  console.error(`rankscope: unknown command "${cmd}"\n${USAGE}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (!interrupted()) process.exit(code);
  },
  (err) => {
    // after Ctrl-C, what fails (a closed browser page, a terminated worker) is a consequence: the handler exits 130
    if (interrupted()) return;
    console.error(`rankscope: ${(err as Error).message}`);
    process.exit(err instanceof UsageError || err instanceof EnvError ? 2 : 1);
  },
);
