import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createGrouping } from "../../src/services/grouping.service.ts";
import { scriptedModel } from "../llm/scripted-model.ts";
import { type OpenAiTestServer, startOpenAiTestServer } from "../support/openai-test-server.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import { runJob, wildchatSlice } from "./llm-support.ts";

let server: OpenAiTestServer;
const apps: TestApp[] = [];

beforeAll(async () => {
  server = await startOpenAiTestServer({ handler: scriptedModel });
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await server?.close();
});

async function configFile(config: unknown): Promise<string> {
  const file = path.join(
    await mkdtemp(path.join(os.tmpdir(), "tailor-llm-config-")),
    "tailor.config.json",
  );
  await writeFile(file, JSON.stringify(config));
  return file;
}

const bigProvider = () => ({
  module: "builtin:openai-provider",
  options: { id: "big", baseUrl: server.url, model: "big-model" },
});

it("routes each task to its model", async () => {
  const file = await configFile({
    plugins: [bigProvider()],
    llm: {
      tasks: { extraction: { provider: "big" }, classification: { model: "small-classifier" } },
    },
  });
  const app = await createTestApp({
    backend: "postgres",
    env: { TAILOR_CONFIG: file, TAILOR_LLM_BASE_URL: server.url, TAILOR_LLM_MODEL: "small-model" },
  });
  apps.push(app);
  expect(
    app.llm?.endpoints().map(({ task, provider, model }) => `${task} ${provider}/${model}`),
  ).toEqual([
    "classification env/small-classifier",
    "judgment env/small-model",
    "extraction big/big-model",
    "generation env/small-model",
    "judging env/small-model",
  ]);

  await createGrouping(app.database.db, app.plugins, {
    name: "llm-expertise",
    classifier: "llm-expertise",
  });
  await runJob(app, "import", { dataset: "slice", path: await wildchatSlice(0, 12) });
  const done = await runJob(app, "label-llm", { dataset: "slice", extract: { maxPairs: 4 } });
  expect(done.error).toBeNull();
  const modelsBy = (promptId: string) =>
    new Set(
      server.requests
        .filter((request) => request.promptId === promptId)
        .map((request) => request.body.model),
    );
  expect(modelsBy("batch-classification")).toEqual(new Set(["small-classifier"]));
  expect(modelsBy("conversation-review")).toEqual(new Set(["small-model"]));
  expect(modelsBy("rubric-aspects")).toEqual(new Set(["big-model"]));
  const labels = await app.database.db
    .selectFrom("intent_labels")
    .select(["plugin", "plugin_version"])
    .distinct()
    .execute();
  expect(labels).toEqual([
    { plugin: "llm:small-classifier", plugin_version: "batch-classification@1" },
  ]);
});

it("uses a provider plugin alone", async () => {
  const file = await configFile({
    plugins: [bigProvider()],
    llm: { concurrency: 2, budgetTokens: 5000 },
  });
  const app = await createTestApp({ backend: "postgres", env: { TAILOR_CONFIG: file } });
  apps.push(app);
  expect(
    new Set(
      app.llm
        ?.endpoints()
        .map(({ provider, model, concurrency }) => `${provider}/${model}/${concurrency}`),
    ),
  ).toEqual(new Set(["big/big-model/2"]));
  expect(app.llm?.defaultBudgetTokens).toBe(5000);
});

it("rejects a missing provider", async () => {
  const file = await configFile({ llm: { tasks: { extraction: { provider: "nowhere" } } } });
  await expect(
    createTestApp({
      backend: "postgres",
      env: { TAILOR_CONFIG: file, TAILOR_LLM_BASE_URL: server.url, TAILOR_LLM_MODEL: "m" },
    }),
  ).rejects.toMatchObject({
    name: "LlmConfigurationError",
    message: expect.stringContaining("nowhere"),
  });
  await expect(
    createTestApp({ backend: "postgres", env: { TAILOR_LLM_BASE_URL: server.url } }),
  ).rejects.toMatchObject({
    name: "LlmConfigurationError",
    message: expect.stringContaining("TAILOR_LLM_MODEL"),
  });
});
