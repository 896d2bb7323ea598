/**
 * The worker pool (src/parallel/index.ts) against what its documentation says: the default worker count, tasks
 * refused before any work, one BLAS thread per task and the caller's count restored, tasks off the main thread with
 * workers ≥ 2, a failing task named, checkpoints restored with the resume line, shared tasks and a forced run's
 * fresh set, a shared store that cannot be written turning the run's checkpoints off, and interrupts (the pool's
 * workers terminated; the serial loop stops between tasks).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { defaultWorkers, mapTasks, Task } from "../../src/parallel";
import { checkpointContext, encodeTask, taskKey, withCheckpoints } from "../../src/parallel/checkpoint";
import { getThreads, setThreads } from "../../src/linalg";
import { runCleanups } from "../../src/util/interrupt";
import { tasksModule, squareCalls } from "./tasks";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-pool-"));
const squares = (xs: number[]): Task[] => xs.map((x) => ({ module: tasksModule, fn: "square", args: x }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("the worker count", () => {
  it("defaultWorkers is RANKSCOPE_WORKERS when set, else min(2, cores) and at least 1", () => {
    const osModule = require("node:os") as typeof os;
    const cpus = osModule.cpus;
    const saved = process.env.RANKSCOPE_WORKERS;
    try {
      delete process.env.RANKSCOPE_WORKERS;
      for (const [cores, expected] of [
        [8, 2],
        [2, 2],
        [1, 1],
        [0, 1],
      ]) {
        osModule.cpus = () => new Array(cores).fill(cpus()[0]);
        assert.equal(osModule.cpus().length, cores);
        assert.equal(defaultWorkers(), expected, `${cores} cores`);
      }
      process.env.RANKSCOPE_WORKERS = "5";
      assert.equal(defaultWorkers(), 5);
    } finally {
      osModule.cpus = cpus;
      if (saved === undefined) delete process.env.RANKSCOPE_WORKERS;
      else process.env.RANKSCOPE_WORKERS = saved;
    }
  });
});

describe("mapTasks", () => {
  it("refuses tasks that are not { module, fn, args }, before any work, naming the task", async () => {
    const before = squareCalls();
    const shape = "must be { module: a compiled module's path, fn: the name of its export, args }; got";
    const cases: [unknown, string][] = [
      [null, `mapTasks: task 1 ${shape} null`],
      [42, `mapTasks: task 1 ${shape} 42`],
      [{ module: 1, fn: "square" }, `mapTasks: task 1 ${shape} {"module":1,"fn":"square"}`],
      [{ module: "m.js", fn: 2 }, `mapTasks: task 1 ${shape} {"module":"m.js","fn":2}`],
      // a function carrying the fields is not a task object either
      [Object.assign(() => 1, { module: tasksModule, fn: "square" }), `mapTasks: task 1 ${shape} a function`],
    ];
    for (const [bad, message] of cases)
      await assert.rejects(mapTasks([...squares([2]), bad as Task], { workers: 1 }), { message });
    await assert.rejects(mapTasks("x" as never), {
      message: 'mapTasks: tasks must be a list of { module, fn, args }; got "x"',
    });
    assert.equal(squareCalls(), before, "nothing ran");
  });

  it("on this thread: results in task order, one BLAS thread per task, the caller's count restored", async () => {
    const before = getThreads();
    setThreads(3);
    try {
      assert.deepEqual(await mapTasks(squares([3, 1, 2]), { workers: 1 }), [9, 1, 4]);
      const [w] = await mapTasks<{ main: boolean; threads: number }>([{ module: tasksModule, fn: "where", args: 0 }], {
        workers: 1,
      });
      assert.deepEqual(w, { main: true, threads: 1 });
      assert.equal(getThreads(), 3, "restored after the tasks");
      // shared outside a study run: nothing to share, the tasks just run
      assert.deepEqual(await mapTasks(squares([5]), { workers: 1, shared: true }), [25]);
      assert.deepEqual(await mapTasks([], { workers: 1 }), []);
    } finally {
      setThreads(before);
    }
  });

  it("with 2 workers: tasks run in worker threads, with one BLAS thread each, results in task order", async () => {
    const tasks = [0, 1, 2].map((i) => ({ module: tasksModule, fn: "where", args: i }));
    const r = await mapTasks<{ main: boolean; threads: number }>(tasks, { workers: 2 });
    assert.deepEqual(
      r,
      [0, 1, 2].map(() => ({ main: false, threads: 1 })),
    );
    assert.deepEqual(await mapTasks(squares([4, 5, 6]), { workers: 2 }), [16, 25, 36]);
  });

  it("a task that fails in a worker fails the call, naming the task and its function", async () => {
    const tasks = [0, 1, 2].map((x) => ({ module: tasksModule, fn: "failsAtOne", args: x }));
    await assert.rejects(mapTasks(tasks, { workers: 2 }), (err: Error) => {
      assert.match(err.message, /^task 1 \(failsAtOne\) failed in a worker: Error: no 1\n/);
      return true;
    });
  });

  it("a function the module does not export fails the call, saying so", async () => {
    const tasks = [0, 1].map((x) => ({ module: tasksModule, fn: x ? "nope" : "square", args: x }));
    await assert.rejects(mapTasks(tasks, { workers: 2 }), (err: Error) => {
      assert.match(err.message, /^task 1 \(nope\) failed in a worker: Error: (.*) has no function nope\n/);
      assert.equal(err.message.match(/Error: (.*) has no function/)?.[1], tasksModule);
      return true;
    });
  });

  it("an error thrown outside a task in a worker fails the call", { timeout: 30000 }, async () => {
    await assert.rejects(
      mapTasks(
        [0, 1].map((i) => ({ module: tasksModule, fn: "failsOutside", args: i })),
        { workers: 2 },
      ),
      /thrown outside the task/,
    );
  });
});

describe("mapTasks inside a run's checkpoints", () => {
  it("restores what is checkpointed, computes the rest, and says how many were restored", async () => {
    const dir = tmp();
    try {
      const tasks = squares([7, 8, 9]);
      const logs: string[] = [];
      const run = () =>
        withCheckpoints(
          dir,
          () => mapTasks<number>(tasks, { workers: 1 }),
          (s) => logs.push(s),
        );
      // nothing checkpointed: nothing said
      const first = await run();
      assert.deepEqual(first, { value: [49, 64, 81], restored: 0, saved: 3 });
      assert.deepEqual(logs, []);
      // two of three checkpointed (the second's value planted, so a restore is told from a computation)
      fs.rmSync(path.join(dir, `${taskKey(tasks[0])}.v8`));
      fs.writeFileSync(path.join(dir, `${taskKey(tasks[1])}.v8`), encodeTask(taskKey(tasks[1]), -64));
      const calls = squareCalls();
      const second = await run();
      assert.deepEqual(second, { value: [49, -64, 81], restored: 2, saved: 1 });
      assert.equal(squareCalls() - calls, 1);
      assert.deepEqual(logs, [`resuming: 2 of 3 tasks restored from checkpoints in ${dir}`]);
      // all three
      const third = await run();
      assert.deepEqual(third, { value: [49, -64, 81], restored: 3, saved: 0 });
      assert.equal(logs[1], `resuming: 3 of 3 tasks restored from checkpoints in ${dir}`);
      assert.equal(squareCalls() - calls, 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it(
    "in a forced run (a fresh set), shared tasks are restored only once computed in this run; the run's own " +
      "checkpoints are restored as usual, and no resume line is said for shared tasks",
    async () => {
      const root = tmp();
      try {
        const dir = path.join(root, "partial");
        const store = path.join(root, "store");
        const [own, shared] = [squares([2]), squares([3])];
        // an interrupted forced run left its own task, and an earlier run left the shared task
        fs.mkdirSync(dir);
        fs.mkdirSync(store);
        fs.writeFileSync(path.join(dir, `${taskKey(own[0])}.v8`), encodeTask(taskKey(own[0]), -4));
        fs.writeFileSync(path.join(store, `${taskKey(shared[0])}.v8`), encodeTask(taskKey(shared[0]), -9));
        const logs: string[] = [];
        const fresh = new Set<string>();
        const calls = squareCalls();
        const r = await withCheckpoints(
          dir,
          async () => [
            ...(await mapTasks<number>(own, { workers: 1 })),
            ...(await mapTasks<number>(shared, { workers: 1, shared: true })),
            ...(await mapTasks<number>(shared, { workers: 1, shared: true })),
          ],
          (s) => logs.push(s),
          { dir: store, fresh },
        );
        // own: restored (-4); shared: computed once (9, not the earlier -9), then restored from this run's store
        assert.deepEqual(r.value, [-4, 9, 9]);
        assert.equal(squareCalls() - calls, 1);
        assert.deepEqual([...fresh], [taskKey(shared[0])]);
        assert.deepEqual(logs, [`resuming: 1 of 1 tasks restored from checkpoints in ${dir}`]);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    },
  );

  it("a shared store that cannot be written turns the run's checkpoints off (said once); the run goes on", async () => {
    const root = tmp();
    try {
      const dir = path.join(root, "partial");
      const blocker = path.join(root, "a-file");
      fs.writeFileSync(blocker, "x");
      const logs: string[] = [];
      const r = await withCheckpoints(
        dir,
        async () => {
          const a = await mapTasks<number>(squares([2]), { workers: 1, shared: true });
          const disabled = checkpointContext()?.disabled;
          const b = await mapTasks<number>(squares([3]), { workers: 1 });
          return { results: [...a, ...b], disabled };
        },
        (s) => logs.push(s),
        { dir: path.join(blocker, "store") },
      );
      assert.deepEqual(r.value.results, [4, 9]);
      assert.match(r.value.disabled ?? "", /^cannot write /, "the run's context is off too");
      assert.equal(fs.existsSync(dir), false, "nothing written to the run's own folder after that");
      assert.equal(logs.length, 1);
      assert.match(logs[0], /^checkpoints off for this run: could not write under .*a-file\/store/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("a run whose own folder cannot be written stays off while shared tasks are written concurrently", async () => {
    const root = tmp();
    try {
      const blocker = path.join(root, "a-file");
      fs.writeFileSync(blocker, "x");
      const store = path.join(root, "store");
      const logs: string[] = [];
      const r = await withCheckpoints(
        path.join(blocker, "partial"),
        () =>
          Promise.all([
            mapTasks<number>(squares([1, 2, 3, 4]), { workers: 1 }),
            mapTasks<number>(squares([5, 6, 7, 8]), { workers: 1, shared: true }),
          ]),
        (s) => logs.push(s),
        { dir: store },
      );
      assert.deepEqual(r.value, [
        [1, 4, 9, 16],
        [25, 36, 49, 64],
      ]);
      assert.equal(fs.readdirSync(store).length, 4, "the shared tasks were kept");
      assert.equal(logs.length, 1, `said once: ${logs.join("\n")}`);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("interrupts", () => {
  it("an interrupt terminates the pool's workers: tasks under way do not finish", { timeout: 30000 }, async () => {
    const dir = tmp();
    try {
      const tasks = [0, 1].map((i) => ({ module: tasksModule, fn: "marks", args: { dir, i, ms: 1500 } }));
      void mapTasks(tasks, { workers: 2 }).catch(() => {});
      const t0 = Date.now();
      while (fs.readdirSync(dir).length < 2 && Date.now() - t0 < 20000) await sleep(20);
      assert.deepEqual(fs.readdirSync(dir).sort(), ["started-0", "started-1"]);
      assert.deepEqual(await runCleanups(), []);
      await sleep(2500);
      assert.deepEqual(fs.readdirSync(dir).sort(), ["started-0", "started-1"], "no task finished");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("on this thread, the loop stops between tasks once an interrupt is being handled", { timeout: 30000 }, () => {
    const dir = tmp();
    try {
      // task 0 sends the process SIGINT; a cleanup keeps the process alive for 0.5 s while it is handled
      const steps = path.join(dir, "steps.js");
      fs.writeFileSync(
        steps,
        "exports.step = async (i) => {\n" +
          "  require('fs').writeSync(1, `task ${i}\\n`);\n" +
          "  if (i === 0) { process.kill(process.pid, 'SIGINT'); await new Promise((r) => setTimeout(r, 100)); }\n" +
          "  return i;\n" +
          "};\n",
      );
      const src = path.resolve(__dirname, "../../src");
      const script =
        `const { installInterruptHandlers, onInterrupt } = require(${JSON.stringify(path.join(src, "util/interrupt"))});\n` +
        `const { mapTasks } = require(${JSON.stringify(path.join(src, "parallel"))});\n` +
        `installInterruptHandlers("t", "h", () => {});\n` +
        `onInterrupt(() => new Promise((r) => setTimeout(r, 500)));\n` +
        `mapTasks([0, 1, 2].map((i) => ({ module: ${JSON.stringify(steps)}, fn: "step", args: i })), { workers: 1 })` +
        `.then(() => console.log("finished"), (e) => console.log("rejected: " + e.message));\n`;
      const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
      assert.equal(r.status, 130, r.stderr);
      assert.equal(r.stdout, "task 0\nrejected: interrupted\n");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
