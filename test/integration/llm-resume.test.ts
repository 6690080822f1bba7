import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { createGrouping } from "../../src/services/grouping.service.ts";
import type { LlmLabelSummary } from "../../src/services/llm-labelling.service.ts";
import { scriptedModel } from "../llm/scripted-model.ts";
import { type OpenAiTestServer, startOpenAiTestServer } from "../support/openai-test-server.ts";
import { createTestApp, POSTGRES_URL, type TestApp } from "../support/test-app.ts";
import { expectCompleteLabels, labelCounts, llmEnv, runJob, wildchatSlice } from "./llm-support.ts";

const CONCURRENCY = 4;
let server: OpenAiTestServer | undefined;
let app: TestApp | undefined;

afterAll(async () => {
  await app?.close();
  await server?.close();
});

it("killed mid-run, resumes from cache", { timeout: 120_000 }, async () => {
  // Enough latency that the child is still working when the test kills it.
  server = await startOpenAiTestServer({ handler: scriptedModel, latencyMs: 25 });
  const env = llmEnv(server.url, { TAILOR_LLM_CONCURRENCY: String(CONCURRENCY) });
  const setup = await createTestApp({ backend: "postgres", env });
  await createGrouping(setup.database.db, setup.plugins, {
    name: "llm-expertise",
    classifier: "llm-expertise",
  });
  const imported = await runJob(setup, "import", {
    dataset: "slice",
    path: await wildchatSlice(0, 40),
  });
  expect(imported.status).toBe("completed");
  await setup.close();

  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(import.meta.dirname, "llm-resume.child.ts")],
    {
      env: {
        ...process.env,
        ...env,
        DATABASE_URL: POSTGRES_URL,
        TAILOR_DB_SCHEMA: setup.schema!,
        TAILOR_HOME: await mkdtemp(path.join(os.tmpdir(), "tailor-resume-")),
        TAILOR_CONFIG: path.join(os.tmpdir(), "tailor-no-config.json"),
        LOG_LEVEL: "warn",
        LLM_JOB_PAYLOAD: JSON.stringify({ dataset: "slice", extract: {} }),
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const [line] = (await once(child.stdout!, "data")) as [Buffer];
  const jobId = line.toString("utf8").trim();
  await server.waitForRequests(20);
  child.kill("SIGKILL");
  await once(child, "exit");
  const madeBeforeKill = server.requests.length;

  // A new process on the same database finds the job still running and runs it again.
  app = await createTestApp({ backend: "postgres", schema: setup.schema!, env });
  const interrupted = await app.jobStore.find(jobId);
  expect(interrupted?.status).not.toBe("completed");
  expect(await app.resumeInterruptedJobs()).toBe(1);
  const done = await app.jobs.waitFor(jobId, 60_000);
  expect(done.status).toBe("completed");
  expect(done.attempts).toBe(2);

  // Only the calls in flight at the kill are made twice; the rest come from the cache.
  const distinct = new Set(server.requests.map((request) => JSON.stringify(request.body.messages)));
  expect(server.requests.length).toBeGreaterThan(madeBeforeKill);
  expect(server.requests.length - distinct.size).toBeLessThanOrEqual(2 * CONCURRENCY);
  expect((done.usage as Record<string, number>).cachedCalls).toBeGreaterThanOrEqual(
    madeBeforeKill - 2 * CONCURRENCY,
  );

  expectCompleteLabels(await labelCounts(app.database.db, "slice"));
  const summary = done.result as LlmLabelSummary;
  expect(summary.rubrics.length).toBeGreaterThan(0);
  const rubrics = await app.database.db
    .selectFrom("rubrics")
    .select(["domain", "task", "comparison"])
    .where("method", "=", "LLM")
    .where("active", "=", true)
    .execute();
  expect(rubrics.length).toBe(summary.rubrics.length);
});
