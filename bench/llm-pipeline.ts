/**
 * Benchmark of the LLM pipeline against the local OpenAI-compatible test server, which answers
 * every request after a fixed latency with a deterministic scripted model.
 *
 * Workload over N WildChat conversations: classify (expertise + intent), judge and explain
 * every ratable turn, then the minibatch rubric extraction per intent (novice against the
 * intermediate and expert users). Two plans:
 * - combined: batched classification (8 per call) and one review call per conversation;
 * - per-step: one call per step (expertise, intent, each judgment, each explanation).
 *
 * Prints, per plan: wall time against the ideal (calls × latency / C) as an efficiency ratio,
 * the ideal that respects the pipeline's stages and sequential extraction chains, and calls and
 * tokens per 1,000 conversations next to the dry-run estimate. Then a re-run of the combined
 * plan from the PGlite response cache.
 *
 *   npx tsx bench/llm-pipeline.ts [--conversations 150] [--concurrency 16] [--latency 200]
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { createOpenAiProvider } from "../plugins/openai-provider/index.ts";
import { openDatabase } from "../src/db/database.ts";
import {
  type ClassificationResult,
  type ConversationLabels,
  classifyInBatches,
  classifySeparately,
  estimateLlmWorkload,
  explanationItems,
  extractRubricWithLlm,
  LlmClient,
  reviewConversation,
  reviewConversationPerStep,
} from "../src/llm/index.ts";
import type { ExplanationItem, PromptConversation } from "../src/prompts/index.ts";
import { loadWildchat, scriptedModel, TEST_TAXONOMY } from "../test/llm/scripted-model.ts";
import { startOpenAiTestServer } from "../test/support/openai-test-server.ts";

const { values } = parseArgs({
  options: {
    conversations: { type: "string", default: "150" },
    concurrency: { type: "string", default: "16" },
    latency: { type: "string", default: "200" },
  },
});
const N = Number(values.conversations);
const C = Number(values.concurrency);
const LATENCY = Number(values.latency);
const MINIBATCH = 10;
const DATA = path.resolve(import.meta.dirname, "../../shared/data/wildchat/wildchat_convotopo_full.jsonl");

type Plan = "combined" | "per-step";

interface StageStats {
  calls: number;
  wallMs: number;
  /** Longest chain of calls that must run one after another in this stage. */
  chain: number;
}

async function runPlan(client: LlmClient, conversations: PromptConversation[], plan: Plan) {
  const labelStart = performance.now();
  const before = client.usage.summary().calls;
  let classified: ClassificationResult[];
  let labels: ConversationLabels[];
  if (plan === "combined") {
    [classified, labels] = await Promise.all([
      classifyInBatches(client, conversations, TEST_TAXONOMY, 8),
      Promise.all(conversations.map((conversation) => reviewConversation(client, conversation))),
    ]);
  } else {
    [classified, labels] = await Promise.all([
      Promise.all(conversations.map((conversation) => classifySeparately(client, conversation, TEST_TAXONOMY))),
      Promise.all(conversations.map((conversation) => reviewConversationPerStep(client, conversation))),
    ]);
  }
  const labelling: StageStats = {
    calls: client.usage.summary().calls - before,
    wallMs: performance.now() - labelStart,
    // The per-step plan explains a turn only after judging it.
    chain: plan === "combined" ? 1 : 2,
  };

  // Group explanations by intent, then by group: novice against the more experienced users.
  const byIntent = new Map<string, Record<string, ExplanationItem[]>>();
  classified.forEach((result, position) => {
    if (!result.ok || result.expertise.level === "unknown") return;
    const key = `${result.intent.domain}/${result.intent.task}`;
    const group = result.expertise.level === "novice" ? "novice" : "experienced";
    const groups = byIntent.get(key) ?? { novice: [], experienced: [] };
    groups[group]!.push(...explanationItems(labels[position]!));
    byIntent.set(key, groups);
  });

  const extractStart = performance.now();
  const beforeExtraction = client.usage.summary().calls;
  const rubrics = await Promise.all(
    [...byIntent.entries()].map(([key, explanations]) => {
      const [domain, task] = key.split("/") as [string, string];
      return extractRubricWithLlm(client, { intent: { domain, task }, groups: ["novice", "experienced"], explanations }, { minibatchSize: MINIBATCH });
    }),
  );
  const extraction: StageStats = {
    calls: client.usage.summary().calls - beforeExtraction,
    wallMs: performance.now() - extractStart,
    chain: Math.max(0, ...rubrics.map((rubric) => rubric.pairs.total)),
  };
  return { labelling, extraction, intents: byIntent.size, aspects: rubrics.reduce((sum, rubric) => sum + rubric.aspects.length, 0) };
}

function idealMs(stage: StageStats): number {
  return Math.max(Math.ceil(stage.calls / C), stage.chain) * LATENCY;
}

async function main() {
  const conversations = loadWildchat(DATA, N);
  const server = await startOpenAiTestServer({ latencyMs: LATENCY, handler: scriptedModel });
  const provider = createOpenAiProvider({ id: "bench", baseUrl: server.url, model: "bench-model" });
  const retry = { maxAttempts: 1, timeoutMs: 60_000 };
  console.log(`llm-pipeline: ${conversations.length} WildChat conversations, latency ${LATENCY} ms, concurrency ${C}, minibatch ${MINIBATCH}\n`);

  const rows: string[] = [];
  for (const plan of ["combined", "per-step"] as Plan[]) {
    const client = new LlmClient({ provider, concurrency: C, retry });
    const start = performance.now();
    const result = await runPlan(client, conversations, plan);
    const wallMs = performance.now() - start;
    const usage = client.usage.summary();
    const estimate = estimateLlmWorkload({ conversations, taxonomy: TEST_TAXONOMY, plan, batchSize: 8 });
    const perThousand = (value: number) => Math.round((value * 1000) / conversations.length);
    const flatIdeal = (usage.calls * LATENCY) / C;
    const stagedIdeal = idealMs(result.labelling) + idealMs(result.extraction);
    const labellingIdeal = (result.labelling.calls * LATENCY) / C;
    rows.push(
      [
        `plan ${plan}:`,
        `  calls ${usage.calls} (labelling ${result.labelling.calls}, extraction ${result.extraction.calls} over ${result.intents} intents, longest chain ${result.extraction.chain})`,
        `  wall ${(wallMs / 1000).toFixed(2)} s; ideal calls×latency/C ${(flatIdeal / 1000).toFixed(2)} s → efficiency ${(flatIdeal / wallMs).toFixed(3)}`,
        `  labelling stage alone: wall ${(result.labelling.wallMs / 1000).toFixed(2)} s, ideal ${(labellingIdeal / 1000).toFixed(2)} s → efficiency ${(labellingIdeal / result.labelling.wallMs).toFixed(3)}`,
        `  ideal with stages and extraction chains ${(stagedIdeal / 1000).toFixed(2)} s → efficiency ${(stagedIdeal / wallMs).toFixed(3)}`,
        `  per 1,000 conversations: ${perThousand(usage.calls)} calls, ${perThousand(usage.promptTokens)} prompt + ${perThousand(usage.completionTokens)} completion tokens`,
        `  dry-run estimate (labelling only) per 1,000: ${perThousand(estimate.calls.total)} calls, ${perThousand(estimate.promptTokens)} prompt + ${perThousand(estimate.completionTokens)} completion tokens`,
      ].join("\n"),
    );
    console.log(rows.at(-1));
  }

  const database = await openDatabase({ pgliteDataDir: "memory://" });
  try {
    const first = new LlmClient({ provider, concurrency: C, retry, db: database.db });
    let start = performance.now();
    await runPlan(first, conversations, "combined");
    const firstMs = performance.now() - start;
    const rerun = new LlmClient({ provider, concurrency: C, retry, db: database.db });
    const callsBefore = server.calls();
    start = performance.now();
    await runPlan(rerun, conversations, "combined");
    const rerunMs = performance.now() - start;
    const flatIdeal = (first.usage.summary().calls * LATENCY) / C;
    console.log(
      [
        "combined plan with the PGlite response cache:",
        `  first run ${(firstMs / 1000).toFixed(2)} s, ${first.usage.summary().calls} calls → efficiency ${(flatIdeal / firstMs).toFixed(3)}`,
        `  re-run ${(rerunMs / 1000).toFixed(2)} s, ${server.calls() - callsBefore} provider calls, ${rerun.usage.summary().cachedCalls} answered from the cache`,
      ].join("\n"),
    );
  } finally {
    await database.close();
    await server.close();
  }
}

await main();
