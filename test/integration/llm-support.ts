import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect } from "vitest";
import type { Db } from "../../src/db/database.ts";
import type { TestApp } from "../support/test-app.ts";
import { realData } from "../support/test-app.ts";

export const TEST_MODEL = "test-model";

/** Environment that points the LLM access at a local test server, with a price for costs. */
export function llmEnv(
  serverUrl: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    TAILOR_LLM_BASE_URL: serverUrl,
    TAILOR_LLM_MODEL: TEST_MODEL,
    TAILOR_LLM_CONCURRENCY: "4",
    TAILOR_LLM_PRICES: JSON.stringify({
      [TEST_MODEL]: { inputPerMillion: 1, outputPerMillion: 2 },
    }),
    ...extra,
  };
}

/** Writes records `start` … `start + count - 1` of the real WildChat file to a temporary file. */
export async function wildchatSlice(start: number, count: number): Promise<string> {
  const lines = (await readFile(realData("wildchat/wildchat_convotopo_full.jsonl"), "utf8"))
    .split("\n")
    .filter((line) => line.trim() !== "");
  const folder = await mkdtemp(path.join(os.tmpdir(), "tailor-llm-"));
  const file = path.join(folder, "slice.jsonl");
  await writeFile(file, `${lines.slice(start, start + count).join("\n")}\n`);
  return file;
}

/** Runs a job to its end and returns its row. */
export async function runJob(app: TestApp, kind: string, payload: unknown) {
  const queued = await app.jobs.enqueue(kind, payload);
  return app.jobs.waitFor(queued.id, 120_000);
}

/** Counts of a dataset's rows and of the LLM labels stored for it. */
export async function labelCounts(db: Db, dataset: string) {
  const inDataset = db
    .selectFrom("conversations")
    .innerJoin("datasets", "datasets.id", "conversations.dataset_id")
    .select("conversations.id")
    .where("datasets.name", "=", dataset);
  const count = async (query: { executeTakeFirstOrThrow(): Promise<{ n: unknown }> }) =>
    Number((await query.executeTakeFirstOrThrow()).n);
  const llm = `llm:${TEST_MODEL}`;
  return {
    conversations: await count(
      db
        .selectFrom("conversations")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("id", "in", inDataset),
    ),
    assistantTurns: await count(
      db
        .selectFrom("messages")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("role", "=", "assistant")
        .where("conversation_id", "in", inDataset),
    ),
    intents: await count(
      db
        .selectFrom("intent_labels")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("plugin", "=", llm)
        .where("conversation_id", "in", inDataset),
    ),
    groups: await count(
      db
        .selectFrom("group_labels")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("plugin", "=", llm)
        .where("conversation_id", "in", inDataset),
    ),
    judgments: await count(
      db
        .selectFrom("turn_judgments")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("plugin", "=", llm)
        .where("conversation_id", "in", inDataset),
    ),
    distinctJudgedTurns: await count(
      db
        .selectFrom("turn_judgments")
        .select((eb) => eb.fn.count("message_id").distinct().as("n"))
        .where("plugin", "=", llm)
        .where("conversation_id", "in", inDataset),
    ),
    ratedTurns: await count(
      db
        .selectFrom("turn_judgments")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("plugin", "=", llm)
        .where("judgment", "in", ["SAT", "DSAT"])
        .where("conversation_id", "in", inDataset),
    ),
    explanations: await count(
      db
        .selectFrom("turn_explanations")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("conversation_id", "in", inDataset),
    ),
  };
}

/** Checks that every conversation is labelled once and every SAT or DSAT turn explained once. */
export function expectCompleteLabels(counts: Awaited<ReturnType<typeof labelCounts>>) {
  expect(counts.intents).toBe(counts.conversations);
  expect(counts.groups).toBe(counts.conversations);
  expect(counts.judgments).toBe(counts.assistantTurns);
  expect(counts.distinctJudgedTurns).toBe(counts.assistantTurns);
  expect(counts.ratedTurns).toBeGreaterThan(0);
  expect(counts.explanations).toBe(counts.ratedTurns);
}
