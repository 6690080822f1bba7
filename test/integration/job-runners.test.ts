import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { watchJob } from "../../jobs/watch-job.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import { stepsJob } from "../support/test-jobs.ts";

type Setup = { name: string; start: () => Promise<{ api: TestApp; apps: TestApp[] }> };

/** Each runner: the in-process one on PGlite, and BullMQ with an API app and a separate worker app. */
const setups: Setup[] = [
  {
    name: "in-process on pglite",
    start: async () => {
      const api = await createTestApp({ backend: "pglite", extraJobs: [stepsJob] });
      return { api, apps: [api] };
    },
  },
  {
    name: "bullmq on postgres",
    start: async () => {
      const queue = `test-${randomUUID()}`;
      const api = await createTestApp({
        backend: "postgres",
        redis: true,
        role: "api",
        queue,
        extraJobs: [stepsJob],
      });
      const worker = await createTestApp({
        backend: "postgres",
        redis: true,
        role: "worker",
        queue,
        schema: api.schema,
        extraJobs: [stepsJob],
      });
      return { api, apps: [api, worker] };
    },
  },
];

describe.each(setups)("job runner: $name", (setup) => {
  let apps: TestApp[] = [];
  afterEach(async () => {
    for (const app of apps.reverse()) await app.close();
    apps = [];
  });

  async function start() {
    const started = await setup.start();
    apps = started.apps;
    return started.api;
  }

  it("completes a job with its result", async () => {
    const api = await start();
    const queued = await api.jobs.enqueue("test.steps", { steps: 5 });
    expect(queued.status).toBe("queued");
    const done = await api.jobs.waitFor(queued.id);
    expect(done.status).toBe("completed");
    expect(done.result).toEqual({ steps: 5, attempt: 1 });
    expect(done.progress).toEqual({ stage: "steps", done: 5, total: 5 });
    expect(done.attempts).toBe(1);
  });

  it("retries a retryable failure", async () => {
    const api = await start();
    const queued = await api.jobs.enqueue("test.steps", { steps: 4, failTimes: 1 });
    const done = await api.jobs.waitFor(queued.id);
    expect(done.status).toBe("completed");
    expect(done.attempts).toBe(2);
    expect(done.result).toEqual({ steps: 4, attempt: 2 });
  });

  it("fails a fatal error once", async () => {
    const api = await start();
    const queued = await api.jobs.enqueue("test.steps", { steps: 4, fatal: true });
    const done = await api.jobs.waitFor(queued.id);
    expect(done.status).toBe("failed");
    expect(done.attempts).toBe(1);
    expect(done.error).toMatchObject({
      code: "FAILED",
      message: "step failed for good",
      retryable: false,
    });
  });

  it("rejects an invalid payload at enqueue", async () => {
    const api = await start();
    await expect(api.jobs.enqueue("test.steps", { steps: -1 })).rejects.toThrow(/steps/);
    await expect(api.jobs.enqueue("no.such.kind", {})).rejects.toThrow(
      /Unknown job kind "no.such.kind"/,
    );
  });

  it("cancels a running job", async () => {
    const api = await start();
    const queued = await api.jobs.enqueue("test.steps", { steps: 10_000, stepMs: 5 });
    for await (const snapshot of watchJob(api.jobStore, api.pubsub, queued.id)) {
      if ((snapshot.progress?.done ?? 0) >= 3) break;
    }
    await api.jobs.cancel(queued.id);
    const done = await api.jobs.waitFor(queued.id);
    expect(done.status).toBe("cancelled");
    expect(done.progress?.done ?? 0).toBeLessThan(10_000);
  });

  it("streams progress that never goes backwards", async () => {
    const api = await start();
    const queued = await api.jobs.enqueue("test.steps", { steps: 30, stepMs: 2 });
    const seen: { status: string; done: number }[] = [];
    for await (const snapshot of watchJob(api.jobStore, api.pubsub, queued.id)) {
      seen.push({ status: snapshot.status, done: snapshot.progress?.done ?? 0 });
    }
    expect(seen[0]?.status).toMatch(/queued|running/);
    expect(seen.at(-1)).toEqual({ status: "completed", done: 30 });
    for (let index = 1; index < seen.length; index++) {
      expect(seen[index]!.done).toBeGreaterThanOrEqual(seen[index - 1]!.done);
    }
  });
});

describe("bullmq queue without workers", () => {
  it("cancels a queued job at once", async () => {
    const api = await createTestApp({
      backend: "postgres",
      redis: true,
      role: "api",
      extraJobs: [stepsJob],
    });
    try {
      const queued = await api.jobs.enqueue("test.steps", { steps: 3 });
      const cancelled = await api.jobs.cancel(queued.id);
      expect(cancelled.status).toBe("cancelled");
    } finally {
      await api.close();
    }
  });
});

describe("watchJob heartbeat", () => {
  it("repeats the last snapshot while a job is quiet", async () => {
    const app = await createTestApp({ backend: "pglite", extraJobs: [stepsJob] });
    try {
      const queued = await app.jobs.enqueue("test.steps", { steps: 2, stepMs: 700 });
      const seen: string[] = [];
      for await (const snapshot of watchJob(app.jobStore, app.pubsub, queued.id, {
        heartbeatMs: 100,
      })) {
        seen.push(`${snapshot.status}:${snapshot.progress?.done ?? 0}`);
      }
      const repeats = seen.filter((entry, index) => index > 0 && entry === seen[index - 1]);
      expect(repeats.length).toBeGreaterThanOrEqual(3);
      expect(seen.at(-1)).toBe("completed:2");
    } finally {
      await app.close();
    }
  });
});

describe("in-process resume", () => {
  it("restarts a job left running", async () => {
    const app = await createTestApp({ backend: "pglite", extraJobs: [stepsJob] });
    try {
      // A row as a killed process leaves it: running, one attempt made.
      await app.database.db
        .insertInto("jobs")
        .values({
          id: "left-over",
          kind: "test.steps",
          status: "running",
          payload: JSON.stringify({ steps: 3 }),
          attempts: 1,
        })
        .execute();
      expect(await app.resumeInterruptedJobs()).toBe(1);
      const done = await app.jobs.waitFor("left-over");
      expect(done.status).toBe("completed");
      expect(done.attempts).toBe(2);
    } finally {
      await app.close();
    }
  });
});
