/** The slot of the task being run and its schedule numbers (src/parallel/resume.ts). */
import { it } from "node:test";
import assert from "node:assert/strict";
import { TaskProgress, TaskStopped, loopCheckpoints, withTaskProgress } from "../../src/parallel/resume";

const progress = (): TaskProgress => ({
  restore: () => undefined,
  save: () => {},
  everyMs: 1000,
  stopRequested: () => false,
});

it("withTaskProgress numbers the task's loops 0, 1, 2 …; outside a task there is none", async () => {
  assert.equal(loopCheckpoints(), undefined);
  const p = progress();
  const seen = await withTaskProgress(p, async () => [loopCheckpoints(), loopCheckpoints(false), loopCheckpoints()]);
  assert.deepEqual(
    seen.map((c) => c?.index),
    [0, undefined, 2],
    "a loop that cannot save its state takes its number all the same",
  );
  assert.equal(loopCheckpoints(), undefined, "the slot is free after the task");
});

it("one task at a time on a thread; a task that throws frees the slot, and the next starts at loop 0", async () => {
  const p = progress();
  await withTaskProgress(p, async () => {
    loopCheckpoints();
    await assert.rejects(
      withTaskProgress(progress(), async () => 1),
      {
        message: "withTaskProgress: a task is already running on this thread",
      },
    );
    assert.equal(loopCheckpoints()?.index, 1, "the running task keeps its slot");
  });
  await assert.rejects(
    withTaskProgress(p, async () => {
      loopCheckpoints();
      throw new Error("boom");
    }),
    /boom/,
  );
  assert.equal(loopCheckpoints(), undefined);
  assert.equal(await withTaskProgress(p, async () => loopCheckpoints()?.index), 0);
});

it("TaskStopped says at which step it checkpointed", () => {
  const e = new TaskStopped(12);
  assert.ok(e instanceof Error);
  assert.equal(e.name, "TaskStopped");
  assert.equal(e.message, "stopped at step 12 after a checkpoint");
  assert.equal(e.step, 12);
});
