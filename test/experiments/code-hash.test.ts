/**
 * A change to the compiled code changes every cache key that depends on the code: each part's entry (a study is
 * its parts, each cached on its own), the checkpoints of an interrupted run and the shared task store. The keys are
 * checked against sha256 values computed here from the documented layout (name, canonical options, version and code
 * hash), not with the functions under test, and the folders are observed where the runs actually write them.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { codeHash, setCodeHash } from "../../src/cache";
import { ExperimentDefinition } from "../../src/experiments/framework";
import { definePart, partCacheKey, runPart } from "../../src/experiments/parts";
import { checkpointContext } from "../../src/parallel/checkpoint";
import { mapTasks } from "../../src/parallel";

/** A worker task (workers = 1 runs it on this thread). */
export function squareTask(x: number): number {
  return x * x;
}

const version: string = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../../package.json"), "utf8")).version;
const sha256 = (s: string) => crypto.createHash("sha256").update(s).digest("hex");
/** The documented key: sha256 of `name \n canonical options \n version code-hash`, the options written out by hand. */
const expectedKey = (name: string, optionsJson: string, hash: string) =>
  sha256(`${name}\n${optionsJson}\n${version} ${hash}`);
const v8Files = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".v8")) : []);

interface Seen {
  dir?: string;
  shared?: string;
  checkpoints: string[];
}

interface ToyOptions {
  n: number;
  label: string;
  workers: number;
}
let partCalls = 0;
let partSeen: Seen = { checkpoints: [] };
const part = definePart<ToyOptions>();
const partsStudy: ExperimentDefinition<ToyOptions> = {
  name: "hash-parts",
  title: "hash parts",
  paper: "-",
  defaults: { n: 3, label: "a", workers: 1 },
  presets: { quick: {}, paper: {} },
  validate() {},
  parts: [
    part({
      id: "figA",
      title: "Fig. A — a",
      reads: ["n"],
      async run(o) {
        partCalls++;
        const ctx = checkpointContext();
        const [sq] = await mapTasks<number>([{ module: __filename, fn: "squareTask", args: o.n }], {
          workers: 1,
          shared: true,
        });
        partSeen = { dir: ctx?.dir, shared: ctx?.shared?.dir, checkpoints: [] };
        return { figures: [], summary: { sq } };
      },
    }),
  ],
};

describe("the code hash in every cache key", () => {
  it(
    "a code change (another code hash) changes the part key, the checkpoint folders and the " +
      "shared task store, each equal to its value computed from the documented layout",
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-hash-"));
      const hashes = ["0123456789abcdef", "fedcba9876543210"];
      const seenKeys: string[] = [];
      try {
        for (const [round, hash] of hashes.entries()) {
          setCodeHash(hash);
          assert.equal(codeHash(), hash);
          // a part: its key is study/part, the options it reads, version and code hash
          const partKey = expectedKey("hash-parts/figA", '{"n":5}', hash);
          assert.equal(partCacheKey("hash-parts", "figA", { n: 5, label: "b", workers: 2 }, ["n"]), partKey);
          const p = await runPart(partsStudy, "figA", { n: 5, cacheDir: dir });
          assert.equal(p.summary.sq, 25);
          assert.equal(partCalls, round + 1, "a new code hash is a cache miss for the part too");
          assert.equal(partSeen.dir, path.join(dir, "partial", partKey), "the part's checkpoints are under its key");
          const store = path.join(dir, "tasks", "hash-parts", hash);
          assert.equal(partSeen.shared, store, "the shared task store is per code hash");
          assert.equal(v8Files(store).length, 1, "the shared task was kept in the store of this code hash");
          assert.ok(fs.existsSync(path.join(dir, partKey.slice(0, 2), `${partKey}.json`)), "part entry written");
          seenKeys.push(partKey);
        }
        assert.equal(new Set(seenKeys).size, 2, "the two code hashes give two distinct keys");
        // back to the first code hash: the entry is served from the cache, nothing is computed
        setCodeHash(hashes[0]);
        assert.equal((await runPart(partsStudy, "figA", { n: 5, cacheDir: dir })).cached, true);
        assert.equal(partCalls, 2);
      } finally {
        setCodeHash();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );

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
