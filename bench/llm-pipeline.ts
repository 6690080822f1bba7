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
 * Extraction compares minibatch pairs one after another within an intent, because each pair
 * starts from the aspect list the previous one returned. It runs with `all` pairs (Algorithm 2
 * of the GPA paper, quadratic) and with `zip` pairs (linear).
 *
 * Prints, per run: wall time against the ideal (calls × latency / C) as an efficiency ratio,
 * the same for the labelling stage alone (independent calls only), the ideal that respects the
 * stages and the sequential extraction chains, and calls and tokens per 1,000 conversations
 * next to the dry-run estimate. Then a re-run of the combined plan from the PGlite response
 * cache. The test server runs in a child process, as a remote endpoint would, so its CPU time
 * does not delay the client's event loop.
 *
 *   npx tsx bench/llm-pipeline.ts [--conversations 150] [--concurrency 16] [--latency 200]
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
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
  type UsageSummary,
} from "../src/llm/index.ts";
import {
  buildExpertisePrompt,
  type ExplanationItem,
  type PromptConversation,
} from "../src/prompts/index.ts";
import { loadWildchat, scriptedModel, TEST_TAXONOMY } from "../test/llm/scripted-model.ts";
import { startOpenAiTestServer } from "../test/support/openai-test-server.ts";

const { values } = parseArgs({
  options: {
    conversations: { type: "string", default: "150" },
    concurrency: { type: "string", default: "16" },
    latency: { type: "string", default: "200" },
    // Internal: run as the test server process and print its URL.
    serve: { type: "boolean", default: false },
  },
});
const N = Number(values.conversations);
const C = Number(values.concurrency);
const LATENCY = Number(values.latency);
const MINIBATCH = 10;
const DATA = path.resolve(
  import.meta.dirname,
  "../../shared/data/wildchat/wildchat_convotopo_full.jsonl",
);

type Plan = "combined" | "per-step";

interface StageStats {
  calls: number;
  /** Prompt plus completion tokens. */
  tokens: number;
  wallMs: number;
  /** Length of the longest chain of calls that must run one after another in this stage. */
  chain: number;
}

async function runPlan(
  client: LlmClient,
  conversations: PromptConversation[],
  plan: Plan,
  pairing: "all" | "zip",
) {
  const labelStart = performance.now();
  const before = client.usage.summary();
  let classified: ClassificationResult[];
  let labels: ConversationLabels[];
  if (plan === "combined") {
    [classified, labels] = await Promise.all([
      classifyInBatches(client, conversations, TEST_TAXONOMY, 8),
      Promise.all(conversations.map((conversation) => reviewConversation(client, conversation))),
    ]);
  } else {
    [classified, labels] = await Promise.all([
      Promise.all(
        conversations.map((conversation) =>
          classifySeparately(client, conversation, TEST_TAXONOMY),
        ),
      ),
      Promise.all(
        conversations.map((conversation) => reviewConversationPerStep(client, conversation)),
      ),
    ]);
  }
  const labelling: StageStats = {
    calls: client.usage.summary().calls - before.calls,
    tokens: totalTokens(client) - totalTokens(before),
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
  const beforeExtraction = client.usage.summary();
  const rubrics = await Promise.all(
    [...byIntent.entries()].map(([key, explanations]) => {
      const [domain, task] = key.split("/") as [string, string];
      return extractRubricWithLlm(
        client,
        { intent: { domain, task }, groups: ["novice", "experienced"], explanations },
        { minibatchSize: MINIBATCH, pairing },
      );
    }),
  );
  const extraction: StageStats = {
    calls: client.usage.summary().calls - beforeExtraction.calls,
    tokens: totalTokens(client) - totalTokens(beforeExtraction),
    wallMs: performance.now() - extractStart,
    chain: Math.max(0, ...rubrics.map((rubric) => rubric.pairs.total)),
  };
  return {
    labelling,
    extraction,
    intents: byIntent.size,
    aspects: rubrics.reduce((sum, rubric) => sum + rubric.aspects.length, 0),
  };
}

function totalTokens(source: LlmClient | UsageSummary): number {
  const summary = source instanceof LlmClient ? source.usage.summary() : source;
  return summary.promptTokens + summary.completionTokens;
}

function idealMs(stage: StageStats): number {
  return Math.max(Math.ceil(stage.calls / C), stage.chain) * LATENCY;
}

/** Starts the test server in a child process running this file with `--serve`. */
async function startServerProcess(): Promise<{ url: string; stop(): void }> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, import.meta.filename, "--serve", "--latency", String(LATENCY)],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const [chunk] = (await once(child.stdout!, "data")) as [Buffer];
  return { url: chunk.toString("utf8").trim(), stop: () => child.stdin!.end() };
}

async function serve(): Promise<void> {
  const server = await startOpenAiTestServer({ latencyMs: LATENCY, handler: scriptedModel });
  process.stdout.write(`${server.url}\n`);
  process.stdin.resume();
  await once(process.stdin, "end");
  await server.close();
}

async function main() {
  const conversations = loadWildchat(DATA, N);
  const server = await startServerProcess();
  const provider = createOpenAiProvider({ id: "bench", baseUrl: server.url, model: "bench-model" });
  const retry = { maxAttempts: 3, timeoutMs: 60_000 };
  console.log(
    `llm-pipeline: ${conversations.length} WildChat conversations, latency ${LATENCY} ms, concurrency ${C}, minibatch ${MINIBATCH}\n`,
  );

  // Warm-up outside the measurements: JIT, module set-up and C keep-alive connections.
  const warmUp = new LlmClient({ provider, concurrency: C, retry });
  await Promise.all(
    conversations
      .slice(0, 2 * C)
      .map((conversation) => warmUp.generate(buildExpertisePrompt(conversation))),
  );

  const runs: [Plan, "all" | "zip"][] = [
    ["combined", "all"],
    ["combined", "zip"],
    ["per-step", "all"],
  ];
  for (const [plan, pairing] of runs) {
    const client = new LlmClient({ provider, concurrency: C, retry });
    const start = performance.now();
    const result = await runPlan(client, conversations, plan, pairing);
    const wallMs = performance.now() - start;
    const usage = client.usage.summary();
    const estimate = estimateLlmWorkload({
      conversations,
      taxonomy: TEST_TAXONOMY,
      plan,
      batchSize: 8,
      extraction: { intents: result.intents, minibatchSize: MINIBATCH, pairing },
    });
    const perThousand = (value: number) =>
      Math.round((value * 1000) / conversations.length).toLocaleString("en-US");
    const flatIdeal = (usage.calls * LATENCY) / C;
    const stagedIdeal = idealMs(result.labelling) + idealMs(result.extraction);
    const labellingIdeal = (result.labelling.calls * LATENCY) / C;
    const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(
      [
        `${plan} plan, ${pairing} pairs:`,
        `  calls ${usage.calls}: labelling ${result.labelling.calls}, extraction ${result.extraction.calls} over ${result.intents} intents (longest chain ${result.extraction.chain})`,
        `  whole workload: wall ${seconds(wallMs)}, ideal calls×latency/C ${seconds(flatIdeal)}, efficiency ${(flatIdeal / wallMs).toFixed(3)}`,
        `  labelling stage: wall ${seconds(result.labelling.wallMs)}, ideal ${seconds(labellingIdeal)}, efficiency ${(labellingIdeal / result.labelling.wallMs).toFixed(3)}`,
        `  ideal with stages and extraction chains ${seconds(stagedIdeal)}, efficiency ${(stagedIdeal / wallMs).toFixed(3)}`,
        `  per 1,000 conversations: ${perThousand(usage.calls)} calls (labelling ${perThousand(result.labelling.calls)}), ${perThousand(usage.promptTokens + usage.completionTokens)} tokens (labelling ${perThousand(result.labelling.tokens)}); ${perThousand(usage.promptTokens)} prompt + ${perThousand(usage.completionTokens)} completion`,
        `  dry-run estimate per 1,000: ${perThousand(estimate.calls.total)} calls (labelling ${perThousand(estimate.calls.total - estimate.calls.extraction)}), ${perThousand(estimate.promptTokens + estimate.completionTokens)} tokens`,
      ].join("\n"),
    );
  }

  const database = await openDatabase({ pgliteDataDir: "memory://" });
  try {
    const first = new LlmClient({ provider, concurrency: C, retry, db: database.db });
    let start = performance.now();
    await runPlan(first, conversations, "combined", "zip");
    const firstMs = performance.now() - start;
    const rerun = new LlmClient({ provider, concurrency: C, retry, db: database.db });
    start = performance.now();
    await runPlan(rerun, conversations, "combined", "zip");
    const rerunMs = performance.now() - start;
    console.log(
      [
        "combined plan, zip pairs, with the PGlite response cache:",
        `  first run ${(firstMs / 1000).toFixed(2)} s, ${first.usage.summary().calls} provider calls`,
        `  re-run ${(rerunMs / 1000).toFixed(2)} s, ${rerun.usage.summary().calls} provider calls, ${rerun.usage.summary().cachedCalls} served from the cache`,
      ].join("\n"),
    );
  } finally {
    await database.close();
    server.stop();
  }
}

await (values.serve ? serve() : main());
