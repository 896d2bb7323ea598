/**
 * The checkpoint files of finished tasks (src/parallel/checkpoint.ts), each against what its documentation says,
 * written out here: the task key (sha256 of module file name, function, V8-serialised arguments), the file format
 * (tag, sha256 of key and body, body), what is refused when reading, the counts of restored and saved tasks, and a
 * folder that cannot be written (checkpoints off, the run goes on).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as v8 from "node:v8";
import {
  CheckpointContext,
  checkpointContext,
  clearCheckpoints,
  decodeTask,
  encodeTask,
  restoreTask,
  saveTask,
  sharedContext,
  taskKey,
  withCheckpoints,
} from "../../src/parallel/checkpoint";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-ckpt-"));
const sha256 = (...parts: (string | Uint8Array)[]) => {
  const h = crypto.createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
};
const context = (dir: string, logs: string[] = []): CheckpointContext => ({
  dir,
  restored: 0,
  saved: 0,
  log: (s) => logs.push(s),
});

describe("task keys and checkpoint files", () => {
  it("taskKey: the first 32 hex digits of sha256(module file name \\0 function \\0 V8-serialised arguments)", () => {
    const args = { n: 3, w: Float64Array.from([1, 2]) };
    const expected = sha256("measure.js", "\0", "run", "\0", v8.serialize(args)).toString("hex").slice(0, 32);
    assert.equal(taskKey({ module: "/a/b/measure.js", fn: "run", args }), expected);
    // the module's folder does not count (the same task from another checkout), its file name, function and args do
    assert.equal(taskKey({ module: "/elsewhere/measure.js", fn: "run", args }), expected);
    assert.notEqual(taskKey({ module: "/a/b/other.js", fn: "run", args }), expected);
    assert.notEqual(taskKey({ module: "/a/b/measure.js", fn: "runs", args }), expected);
    assert.notEqual(taskKey({ module: "/a/b/measure.js", fn: "run", args: { ...args, n: 4 } }), expected);
  });

  it("a task file is RSTASK1\\n, sha256(key \\0 body), then the V8 serialisation of the value", () => {
    const value = { x: Float64Array.from([1.5, -0]), s: "a" };
    const body = v8.serialize(value);
    const bytes = encodeTask("k1", value);
    assert.deepEqual(bytes, Buffer.concat([Buffer.from("RSTASK1\n", "latin1"), sha256("k1", "\0", body), body]));
    const back = decodeTask<typeof value>("k1", bytes);
    assert.deepEqual(back, value);
    assert.ok(Object.is(back.x[1], -0));
  });

  it("decodeTask refuses a file without the header, a short one, another task's and an edited one", () => {
    const bytes = encodeTask("k1", [1, 2, 3]);
    const noHeader = { message: "not a rankscope task file (no header)" };
    const mismatch = { message: "checksum mismatch (truncated, edited or another task's file)" };
    assert.throws(() => decodeTask("k1", Buffer.from("RSTASK2\n" + "x".repeat(64))), noHeader);
    // shorter than the tag and the checksum: no header, even when it starts with the tag
    assert.throws(() => decodeTask("k1", bytes.subarray(0, 8 + 31)), noHeader);
    // exactly tag + checksum with an empty body is a header (then the checksum of the empty body is wrong)
    assert.throws(() => decodeTask("k1", bytes.subarray(0, 8 + 32)), mismatch);
    assert.throws(() => decodeTask("k2", bytes), mismatch);
    const edited = Buffer.from(bytes);
    edited[edited.length - 1] ^= 1;
    assert.throws(() => decodeTask("k1", edited), mismatch);
    assert.deepEqual(decodeTask("k1", bytes), [1, 2, 3]);
  });
});

describe("restoring and saving tasks", () => {
  it("saveTask writes <dir>/<key>.v8 and counts it; restoreTask reads it back and counts it; a missing one is undefined", () => {
    const dir = tmp();
    try {
      const logs: string[] = [];
      const ctx = context(dir, logs);
      assert.equal(restoreTask(ctx, "k1"), undefined);
      saveTask(ctx, "k1", { a: 1 });
      saveTask(ctx, "k2", [2]);
      assert.equal(ctx.saved, 2);
      assert.deepEqual(fs.readFileSync(path.join(dir, "k1.v8")), encodeTask("k1", { a: 1 }));
      assert.deepEqual(restoreTask(ctx, "k1"), { value: { a: 1 } });
      assert.deepEqual(restoreTask(ctx, "k2"), { value: [2] });
      assert.equal(ctx.restored, 2);
      assert.deepEqual(logs, [], "nothing to report");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("an unreadable checkpoint is reported and not restored (not counted)", () => {
    const dir = tmp();
    try {
      const logs: string[] = [];
      const ctx = context(dir, logs);
      fs.writeFileSync(path.join(dir, "k1.v8"), encodeTask("k2", 1));
      assert.equal(restoreTask(ctx, "k1"), undefined);
      assert.equal(ctx.restored, 0);
      assert.deepEqual(logs, [
        `checkpoint ${path.join(dir, "k1.v8")} is unreadable (checksum mismatch (truncated, edited or another ` +
          "task's file)); computing the task again",
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a folder that cannot be written turns checkpoints off once, says so, and the run goes on", () => {
    const root = tmp();
    try {
      const file = path.join(root, "a-file");
      fs.writeFileSync(file, "x");
      const logs: string[] = [];
      const ctx = context(path.join(file, "sub"), logs);
      saveTask(ctx, "k1", 1);
      assert.equal(ctx.saved, 0);
      assert.match(ctx.disabled ?? "", /^cannot write .*k1\.v8: /);
      assert.deepEqual(logs, [
        `checkpoints off for this run: could not write under ${ctx.dir} (${ctx.disabled}); the run goes on`,
      ]);
      // once off, nothing more is tried (and said), even where it could be written
      ctx.dir = root;
      saveTask(ctx, "k2", 2);
      assert.equal(fs.existsSync(path.join(root, "k2.v8")), false);
      assert.equal(ctx.saved, 0);
      assert.equal(logs.length, 1);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("withCheckpoints: the context and its counts inside a folder, none without one; clearCheckpoints removes it", async () => {
    const root = tmp();
    try {
      const dir = path.join(root, "partial", "key");
      const none = await withCheckpoints(undefined, async () => checkpointContext());
      assert.deepEqual(none, { value: undefined, restored: 0, saved: 0 });
      const first = await withCheckpoints(dir, async () => {
        const ctx = checkpointContext()!;
        assert.equal(ctx.dir, dir);
        saveTask(ctx, "k1", 1);
        saveTask(ctx, "k2", 2);
        return "done";
      });
      assert.deepEqual(first, { value: "done", restored: 0, saved: 2 });
      const again = await withCheckpoints(dir, async () => restoreTask(checkpointContext()!, "k2"));
      assert.deepEqual(again, { value: { value: 2 }, restored: 1, saved: 0 });
      assert.equal(checkpointContext(), undefined, "no context outside");
      clearCheckpoints(dir);
      assert.equal(fs.existsSync(dir), false);
      assert.ok(fs.existsSync(path.join(root, "partial")), "only the run's own folder");
      clearCheckpoints(dir); // already gone: nothing to do
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("sharedContext: the same run with the shared folder as its folder, or undefined without a shared folder", () => {
    const ctx = context("/a");
    assert.equal(sharedContext(ctx), undefined);
    const fresh = new Set<string>();
    const withShared = { ...ctx, shared: { dir: "/s", fresh } };
    const s = sharedContext(withShared)!;
    assert.equal(s.dir, "/s");
    assert.equal(s.log, ctx.log);
    assert.equal(s.shared, withShared.shared);
  });
});
