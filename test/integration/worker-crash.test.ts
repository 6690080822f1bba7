import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { watchJob } from "../../jobs/watch-job.ts";
import { createTestApp, POSTGRES_URL, REDIS_URL, type TestApp } from "../support/test-app.ts";

const CONVERSATIONS = 20_000;
const repositoryRoot = path.resolve(import.meta.dirname, "../..");
const children: ChildProcess[] = [];
let api: TestApp | undefined;

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  await api?.close();
});

function startWorker(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [path.join(repositoryRoot, "bin/tailor.js"), "worker"], {
    cwd: repositoryRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  child.on("exit", (code, signal) => {
    if (code && code !== 0)
      process.stderr.write(`worker exited with ${code} (${signal}): ${stderr}\n`);
  });
  children.push(child);
  return child;
}

it("worker killed mid-import: retried, no duplicates", { timeout: 240_000 }, async () => {
  const folder = await mkdtemp(path.join(os.tmpdir(), "tailor-crash-"));
  const file = path.join(folder, "many.jsonl");
  const lines = Array.from({ length: CONVERSATIONS }, (_, index) =>
    JSON.stringify({
      id: `c${index}`,
      messages: [
        { role: "user", content: `Question number ${index}: how do I sort a list?` },
        { role: "assistant", content: `Answer ${index}: call sorted() on it.` },
        { role: "user", content: "Thanks!" },
      ],
      metadata: { country: index % 2 ? "India" : "United States" },
    }),
  );
  await writeFile(file, `${lines.join("\n")}\n`);

  const queue = `crash-${randomUUID()}`;
  api = await createTestApp({ backend: "postgres", redis: true, role: "api", queue });
  const env = {
    DATABASE_URL: POSTGRES_URL,
    TAILOR_DB_SCHEMA: api.schema!,
    REDIS_URL,
    TAILOR_QUEUE: queue,
    TAILOR_JOB_LOCK_MS: "1500",
    TAILOR_HOME: folder,
    LOG_LEVEL: "warn",
  };

  const first = startWorker(env);
  const job = await api.jobs.enqueue("import", {
    dataset: "crash",
    path: file,
    format: "messages",
  });
  for await (const snapshot of watchJob(api.jobStore, api.pubsub, job.id, { reconcileMs: 200 })) {
    const progress = snapshot.progress;
    if (progress?.total && progress.done / progress.total > 0.2) break;
    expect(snapshot.status).not.toBe("completed");
  }
  first.kill("SIGKILL");
  await once(first, "exit");
  const { db } = api.database;
  const partial = await db
    .selectFrom("conversations")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  expect(Number(partial.n)).toBeGreaterThan(0);
  expect(Number(partial.n)).toBeLessThan(CONVERSATIONS);

  startWorker(env);
  const done = await api.jobs.waitFor(job.id, 200_000);
  expect(done.status).toBe("completed");
  expect(done.attempts).toBeGreaterThanOrEqual(2);

  const counts = await db
    .selectFrom("conversations")
    .select((eb) => [
      eb.fn.countAll<number>().as("rows"),
      eb.fn.count<number>("content_hash").distinct().as("distinct"),
    ])
    .executeTakeFirstOrThrow();
  expect(Number(counts.rows)).toBe(CONVERSATIONS);
  expect(Number(counts.distinct)).toBe(CONVERSATIONS);
  const messages = await db
    .selectFrom("messages")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  expect(Number(messages.n)).toBe(CONVERSATIONS * 3);
  expect(done.result).toMatchObject({ imported: CONVERSATIONS });
});
