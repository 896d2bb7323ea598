/**
 * A change to the compiled code changes every cache key that depends on the code, one test each: each part's entry
 * (a study is its parts, each cached on its own), the checkpoints of an interrupted run, the shared task store and
 * `cached()`'s entries. The keys are checked against sha256 values computed here from the documented layout (name,
 * canonical options, version and code hash), not with the functions under test, and the folders are observed where
 * the runs actually write them; each test also shows the behaviour the key exists for: a new code hash recomputes,
 * the old one is served again.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cached, setCodeHash } from "../../src/cache";
import { ExperimentDefinition, runExperiment } from "../../src/experiments/framework";
import { definePart, partCacheKey, runPart } from "../../src/experiments/parts";
import { checkpointContext } from "../../src/parallel/checkpoint";
import { mapTasks } from "../../src/parallel";
import { stderrOf } from "../helpers";

/** Calls of the worker task below (workers = 1 runs it on this thread, so the count is this module's). */
let taskCalls = 0;
/** A worker task. */
export function squareTask(x: number): number {
  taskCalls++;
  return x * x;
}

const version: string = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../../package.json"), "utf8")).version;
const sha256 = (s: string) => crypto.createHash("sha256").update(s).digest("hex");
/** The documented key: sha256 of `name \n canonical options \n version code-hash`, the options written out by hand. */
const expectedKey = (name: string, optionsJson: string, hash: string) =>
  sha256(`${name}\n${optionsJson}\n${version} ${hash}`);
const v8Files = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".v8")) : []);
const hashA = "0123456789abcdef";
const hashB = "fedcba9876543210";

/** Runs `body` in a fresh cache folder, then forgets the code hash set and removes the folder. */
async function inCacheDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-hash-"));
  try {
    await body(dir);
  } finally {
    setCodeHash();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface ToyOptions {
  n: number;
  label: string;
  workers: number;
}
/** Set to make the toy study fail after its task finished (an interrupted run that left a checkpoint). */
let interruptStudy = false;
let studyCheckpointDir: string | undefined;
/** A study of one part whose run can be interrupted after its task finished. */
const study: ExperimentDefinition<ToyOptions> = {
  name: "hash-toy",
  title: "hash toy",
  paper: "-",
  defaults: { n: 3, label: "a", workers: 1 },
  presets: { quick: {}, paper: {} },
  validate() {},
  parts: [
    definePart<ToyOptions>()({
      id: "fig",
      title: "Fig. — a",
      reads: ["n", "label"],
      async run(o) {
        studyCheckpointDir = checkpointContext()?.dir;
        const [sq] = await mapTasks<number>([{ module: __filename, fn: "squareTask", args: o.n }], { workers: 1 });
        if (interruptStudy) throw new Error("interrupted");
        return { figures: [], summary: { sq } };
      },
    }),
  ],
};

let partCalls = 0;
let partSeen: { dir?: string; shared?: string } = {};
const part = definePart<ToyOptions>();
/** Two parts that need the same shared task (as two figures need the same training run). */
const partsStudy: ExperimentDefinition<ToyOptions> = {
  name: "hash-parts",
  title: "hash parts",
  paper: "-",
  defaults: { n: 3, label: "a", workers: 1 },
  presets: { quick: {}, paper: {} },
  validate() {},
  parts: ["figA", "figB"].map((id) =>
    part({
      id,
      title: `Fig. ${id.slice(3)} — a`,
      reads: ["n"],
      async run(o) {
        partCalls++;
        const ctx = checkpointContext();
        const [sq] = await mapTasks<number>([{ module: __filename, fn: "squareTask", args: o.n }], {
          workers: 1,
          shared: true,
        });
        partSeen = { dir: ctx?.dir, shared: ctx?.shared?.dir };
        return { figures: [], summary: { sq } };
      },
    }),
  ),
};

describe("the code hash in every cache key", () => {
  it("a part's key is sha256(study/part, the options it reads, version and code hash): a new code hash recomputes", async () => {
    await inCacheDir(async (dir) => {
      const keys = [hashA, hashB].map((h) => expectedKey("hash-parts/figA", '{"n":5}', h));
      const calls0 = partCalls;
      for (const [i, hash] of [hashA, hashB].entries()) {
        setCodeHash(hash);
        assert.equal(partCacheKey("hash-parts", "figA", { n: 5, label: "b", workers: 2 }, ["n"]), keys[i]);
        const p = await runPart(partsStudy, "figA", { n: 5, cacheDir: dir });
        assert.equal(p.summary.sq, 25);
        assert.equal(partCalls - calls0, i + 1, "a new code hash is a cache miss for the part");
        assert.equal(partSeen.dir, path.join(dir, "partial", keys[i]), "the part's checkpoints are under its key");
        assert.ok(fs.existsSync(path.join(dir, keys[i].slice(0, 2), `${keys[i]}.json`)), "entry written at its key");
      }
      assert.notEqual(keys[0], keys[1]);
      setCodeHash(hashA);
      assert.equal((await runPart(partsStudy, "figA", { n: 5, cacheDir: dir })).cached, true);
      assert.equal(partCalls - calls0, 2);
    });
  });

  it(
    "the checkpoints of an interrupted run are under partial/<key>: another code hash does not restore them, " +
      "the same code hash does",
    async () => {
      await inCacheDir(async (dir) => {
        const [keyA, keyB] = [hashA, hashB].map((h) => expectedKey("hash-toy/fig", '{"label":"a","n":7}', h));
        const tasks0 = taskCalls;
        interruptStudy = true;
        try {
          // an interrupted run under code A: its finished task is left checkpointed in partial/<key A>
          setCodeHash(hashA);
          await assert.rejects(runExperiment(study, { n: 7, cacheDir: dir }), /interrupted/);
          assert.equal(studyCheckpointDir, path.join(dir, "partial", keyA));
          assert.equal(v8Files(path.join(dir, "partial", keyA)).length, 1, "the finished task was checkpointed");
          assert.equal(taskCalls - tasks0, 1);
          // the same run under code B computes the task again, in its own folder
          setCodeHash(hashB);
          await assert.rejects(runExperiment(study, { n: 7, cacheDir: dir }), /interrupted/);
          assert.equal(studyCheckpointDir, path.join(dir, "partial", keyB));
          assert.equal(taskCalls - tasks0, 2, "code A's checkpoint is not restored under code B");
          assert.equal(v8Files(path.join(dir, "partial", keyB)).length, 1);
        } finally {
          interruptStudy = false;
        }
        // back to code A: the run resumes from its checkpoint (the task is not computed) and clears it
        setCodeHash(hashA);
        const { value: r, err } = await stderrOf(() => runExperiment(study, { n: 7, cacheDir: dir }));
        assert.equal(r.summary.sq, 49);
        assert.equal(taskCalls - tasks0, 2, "restored from code A's checkpoint");
        assert.ok(err.includes("hash-toy/fig: 1 task(s) came from checkpoints of an interrupted run"), err);
        assert.equal(v8Files(path.join(dir, "partial", keyA)).length, 0, "cleared once the run completed");
        assert.equal(v8Files(path.join(dir, "partial", keyB)).length, 1, "code B's checkpoint is left alone");
      });
    },
  );

  it(
    "the shared task store is tasks/<study>/<code hash>: a part under another code hash computes the task " +
      "again, under the same code hash it takes the other part's",
    async () => {
      await inCacheDir(async (dir) => {
        const [storeA, storeB] = [hashA, hashB].map((h) => path.join(dir, "tasks", "hash-parts", h));
        const tasks0 = taskCalls;
        setCodeHash(hashA);
        await runPart(partsStudy, "figA", { n: 6, cacheDir: dir });
        assert.equal(partSeen.shared, storeA);
        assert.equal(v8Files(storeA).length, 1, "the shared task is kept in code A's store");
        assert.equal(taskCalls - tasks0, 1);
        // figB needs the same task: under code B it is computed (code A's store is not read) and kept in B's store
        setCodeHash(hashB);
        const b = await runPart(partsStudy, "figB", { n: 6, cacheDir: dir });
        assert.equal(b.summary.sq, 36);
        assert.equal(partSeen.shared, storeB);
        assert.equal(taskCalls - tasks0, 2, "code A's store is not read under code B");
        assert.equal(v8Files(storeB).length, 1);
        // under code A figB (a cache miss there) takes the task figA left in A's store
        setCodeHash(hashA);
        const a = await runPart(partsStudy, "figB", { n: 6, cacheDir: dir });
        assert.equal(a.cached, false);
        assert.equal(a.summary.sq, 36);
        assert.equal(taskCalls - tasks0, 2, "the same code hash reads its store");
      });
    },
  );

  it("cached()'s key is sha256(cached, name, options, the function's text, version and code hash)", async () => {
    await inCacheDir(async (dir) => {
      let calls = 0;
      const f = () => {
        calls++;
        return { calls };
      };
      for (const [i, hash] of [hashA, hashB].entries()) {
        setCodeHash(hash);
        const key = sha256(`cached\nhash-sweep\n{"w":2}\n${f.toString()}\n${version} ${hash}`);
        assert.deepEqual(await cached("hash-sweep", { w: 2 }, f, { cacheDir: dir }), { calls: i + 1 });
        assert.ok(fs.existsSync(path.join(dir, key.slice(0, 2), `${key}.v8`)), "entry written at its key");
      }
      setCodeHash(hashA);
      assert.deepEqual(await cached("hash-sweep", { w: 2 }, f, { cacheDir: dir }), { calls: 1 }, "code A's entry");
      assert.equal(calls, 2);
    });
  });

  it(
    "the code hash is read from the compiled library: editing one compiled file changes it, " +
      "undoing the edit restores it",
    () => {
      // a copy of the compiled library, so its cache module hashes the copy
      const root = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-hashlib-"));
      try {
        fs.cpSync(path.resolve(__dirname, "../../src"), path.join(root, "src"), { recursive: true });
        const copy = require(path.join(root, "src", "cache", "index.js")) as typeof import("../../src/cache");
        const before = copy.codeHash();
        assert.match(before, /^[0-9a-f]{16}$/);
        const file = path.join(root, "src", "linalg", "ops.js");
        const text = fs.readFileSync(file, "utf8");
        fs.writeFileSync(file, text + "\n// an edit\n");
        assert.equal(copy.codeHash(), before, "memoised within a process");
        copy.setCodeHash();
        const after = copy.codeHash();
        assert.match(after, /^[0-9a-f]{16}$/);
        assert.notEqual(after, before, "an edited compiled file changes the code hash");
        fs.writeFileSync(file, text);
        fs.writeFileSync(path.join(root, "src", "notes.txt"), "not code");
        copy.setCodeHash();
        assert.equal(copy.codeHash(), before, "the same code gives the same hash (files other than .js do not count)");
        assert.throws(() => copy.setCodeHash("XYZ"), /16 lower-case hex digits/);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    },
  );
});
