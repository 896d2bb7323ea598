/** The slot of the task being run and its schedule numbers (src/parallel/resume.ts). */
import { it } from "node:test";
import assert from "node:assert/strict";
import { TaskProgress, TaskStopped, nextSchedule, withTaskProgress } from "../src/parallel/resume";

const progress = (): TaskProgress => ({
  restore: () => undefined,
  save: () => {},
  everyMs: 1000,
  stopRequested: () => false,
});

it("withTaskProgress numbers the task's schedules 0, 1, 2 …; outside a task there is none", async () => {
  assert.equal(nextSchedule(), undefined);
  const p = progress();
  const seen = await withTaskProgress(p, async () => [nextSchedule(), nextSchedule(), nextSchedule()]);
  assert.deepEqual(
    seen,
    [0, 1, 2].map((index) => ({ progress: p, index })),
  );
  assert.ok(seen.every((s) => s?.progress === p));
  assert.equal(nextSchedule(), undefined, "the slot is free after the task");
});

it("one task at a time on a thread; a task that throws frees the slot, and the next starts at schedule 0", async () => {
  const p = progress();
  await withTaskProgress(p, async () => {
    nextSchedule();
    await assert.rejects(
      withTaskProgress(progress(), async () => 1),
      {
        message: "withTaskProgress: a task is already running on this thread",
      },
    );
    assert.deepEqual(nextSchedule(), { progress: p, index: 1 }, "the running task keeps its slot");
  });
  await assert.rejects(
    withTaskProgress(p, async () => {
      nextSchedule();
      throw new Error("boom");
    }),
    /boom/,
  );
  assert.equal(nextSchedule(), undefined);
  assert.equal(await withTaskProgress(p, async () => nextSchedule()?.index), 0);
});

it("TaskStopped says at which step it checkpointed", () => {
  const e = new TaskStopped(12);
  assert.ok(e instanceof Error);
  assert.equal(e.name, "TaskStopped");
  assert.equal(e.message, "stopped at step 12 after a checkpoint");
  assert.equal(e.step, 12);
});
