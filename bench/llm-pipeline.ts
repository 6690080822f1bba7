/**
 * Benchmark of the LLM pipeline against the local OpenAI-compatible test server, which answers
 * every request after a fixed latency with a deterministic scripted model.
 *
 * The workload runs over N conversations resampled from the real WildChat file, as the
 * `label-llm` job runs it. It classifies expertise and intent (8 conversations per call),
 * judges and explains every ratable turn (one review call per conversation), and extracts a
 * rubric per intent for each expertise group (novice, intermediate, expert) against the others.
 *
 * Runs, each with a fresh client of concurrency C:
 * - pipelined: `runLlmPipeline` as the job runs it, extraction chains overlapping the reviews;
 * - staged: the same calls with extraction started after the last labelling call;
 * - naive per-step (counted on a second server with 1 ms latency, so only calls and tokens
 *   mean something): one call per step and turn, then Algorithm 2's all-pairs extraction with a
 *   fixed minibatch size.
 * Efficiency is the ideal calls × latency / C over the wall time. The staged run also prints
 * the ideal that respects its stage boundary and its longest extraction chain. Last, the
 * pipelined run twice on a PGlite response cache: the second makes no provider call.
 *
 *   npm run bench:llm -- [--conversations 1000] [--concurrency 16] [--latency 200]
 *     [--minibatch 10] [--max-pairs 32] [--pairing zip]
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import path from "node:path";
import { parseArgs } from "node:util";
import { createOpenAiProvider } from "../plugins/openai-provider/index.ts";
import { type Db, openDatabase } from "../src/db/database.ts";
import {
  type Classification,
  classifySeparately,
  explanationItems,
  extractRubricWithLlm,
  LlmClient,
  type LlmPipelineInput,
  type Pairing,
  type PipelineExtraction,
  reviewConversationPerStep,
  runLlmPipeline,
} from "../src/llm/index.ts";
import {
  buildExpertisePrompt,
  type ExplanationItem,
  type PromptConversation,
} from "../src/prompts/index.ts";
import { loadWildchat, scriptedModel, TEST_TAXONOMY } from "../test/llm/scripted-model.ts";
import {
  type RecordedRequest,
  type ScriptedReply,
  startOpenAiTestServer,
} from "../test/support/openai-test-server.ts";

const { values } = parseArgs({
  options: {
    conversations: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "16" },
    latency: { type: "string", default: "200" },
    minibatch: { type: "string", default: "10" },
    "max-pairs": { type: "string", default: "32" },
    pairing: { type: "string", default: "zip" },
    // Internal: run as a test server process and print its URL.
    serve: { type: "boolean", default: false },
  },
});
const N = Number(values.conversations);
const C = Number(values.concurrency);
const LATENCY = Number(values.latency);
const MINIBATCH = Number(values.minibatch);
const MAX_PAIRS = Number(values["max-pairs"]);
const PAIRING = values.pairing as Pairing;
const GROUPS = ["novice", "intermediate", "expert"];
const DATA = path.resolve(
  import.meta.dirname,
  "../../shared/data/wildchat/wildchat_convotopo_full.jsonl",
);

/**
 * Draws `count` conversations from the file with a fixed seed. Each copy starts its assistant
 * messages with a marker, so no two prompts are equal (the client would merge equal requests)
 * while the scripted model's labels, which read only user messages, stay those of the source.
 */
function resample(source: PromptConversation[], count: number): PromptConversation[] {
  let seed = 20261204;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  return Array.from({ length: count }, (_, copy) => {
    const original = source[Math.floor(next() * source.length)]!;
    const messages = original.messages.map((message) =>
      message.role === "assistant"
        ? { ...message, content: `[copy ${copy}] ${message.content}` }
        : message,
    );
    return { id: `copy-${copy}`, messages };
  });
}

const extraction: PipelineExtraction<string> = {
  minibatchSize: MINIBATCH,
  pairing: PAIRING,
  maxPairs: MAX_PAIRS,
  threshold: 3,
  comparisons: GROUPS.map((group) => ({
    meta: group,
    names: [group, `users outside ${group}`] as const,
    sideA: [group],
    sideB: GROUPS.filter((other) => other !== group),
  })),
  groupOf: (classification: Classification) =>
    GROUPS.includes(classification.expertise.level) ? classification.expertise.level : undefined,
};

interface RunFigures {
  wallMs: number;
  calls: number;
  labelCalls: number;
  tokens: number;
  longestChain: number;
  rubrics: number;
  cachedCalls: number;
}

/** Runs the pipeline with one client for labelling and one for extraction, to count each. */
async function runPipeline(
  clients: () => LlmClient,
  conversations: PromptConversation[],
  overlap: boolean,
): Promise<RunFigures> {
  const labelling = clients();
  const extracting = clients();
  const input: LlmPipelineInput<string> = {
    conversations,
    taxonomy: TEST_TAXONOMY,
    clients: { classification: labelling, judgment: labelling, extraction: extracting },
    slots: C,
    classify: true,
    review: true,
    extraction,
    overlap,
  };
  let longestChain = 0;
  const start = performance.now();
  const result = await runLlmPipeline(input, {
    rubric: async (finished) => {
      longestChain = Math.max(longestChain, finished.result.pairs.done);
    },
  });
  const wallMs = performance.now() - start;
  const usage = [labelling.usage.summary(), extracting.usage.summary()];
  return {
    wallMs,
    calls: usage[0]!.calls + usage[1]!.calls,
    labelCalls: usage[0]!.calls,
    tokens: usage.reduce((sum, entry) => sum + entry.promptTokens + entry.completionTokens, 0),
    longestChain,
    rubrics: result.rubrics,
    cachedCalls: usage[0]!.cachedCalls + usage[1]!.cachedCalls,
  };
}

/** Runs the naive plan: a call per step and turn, then all-pairs extraction with a fixed m. */
async function runNaive(client: LlmClient, conversations: PromptConversation[]) {
  const [classified, labels] = await Promise.all([
    Promise.all(conversations.map((item) => classifySeparately(client, item, TEST_TAXONOMY))),
    Promise.all(conversations.map((item) => reviewConversationPerStep(client, item))),
  ]);
  const labelCalls = client.usage.summary().calls;
  const sides = new Map<string, Record<string, ExplanationItem[]>>();
  classified.forEach((result, position) => {
    if (!result.ok) return;
    const group = extraction.groupOf(result);
    if (!group) return;
    const key = `${result.intent.domain}/${result.intent.task}`;
    const byGroup = sides.get(key) ?? {};
    byGroup[group] = [...(byGroup[group] ?? []), ...explanationItems(labels[position]!)];
    sides.set(key, byGroup);
  });
  await Promise.all(
    [...sides].flatMap(([key, byGroup]) =>
      GROUPS.map((group) => {
        const [domain, task] = key.split("/") as [string, string];
        const rest = GROUPS.filter((other) => other !== group).flatMap(
          (other) => byGroup[other] ?? [],
        );
        return extractRubricWithLlm(
          client,
          {
            intent: { domain, task },
            groups: [group, "rest"],
            explanations: { [group]: byGroup[group] ?? [], rest },
          },
          { minibatchSize: MINIBATCH, pairing: "all" },
        );
      }),
    ),
  );
  const usage = client.usage.summary();
  return { calls: usage.calls, labelCalls, tokens: usage.promptTokens + usage.completionTokens };
}

/** Starts a test server in a child process running this file with `--serve`. */
async function startServerProcess(latencyMs: number): Promise<{ url: string; stop(): void }> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, import.meta.filename, "--serve", "--latency", String(latencyMs)],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const [chunk] = (await once(child.stdout!, "data")) as [Buffer];
  return { url: chunk.toString("utf8").trim(), stop: () => child.stdin!.end() };
}

/**
 * Replies as the scripted model does, with each review's explanations made unique to their
 * conversation. The scripted model writes one fixed explanation, so minibatches of different
 * comparisons would repeat prompts that the client then merges; a real model's text varies.
 */
function benchModel(request: RecordedRequest): ScriptedReply {
  const reply = scriptedModel(request);
  if (request.promptId !== "conversation-review" || reply.type !== "completion") return reply;
  const digest = createHash("sha256").update(request.user).digest("hex").slice(0, 8);
  const review = JSON.parse(reply.content) as {
    turns: { explanation: { reason: string } | null }[];
  };
  for (const turn of review.turns)
    if (turn.explanation) turn.explanation.reason += ` (conversation ${digest})`;
  return { ...reply, content: JSON.stringify(review) };
}

async function serve(): Promise<void> {
  const server = await startOpenAiTestServer({ latencyMs: LATENCY, handler: benchModel });
  process.stdout.write(`${server.url}\n`);
  process.stdin.resume();
  await once(process.stdin, "end");
  await server.close();
}

async function main() {
  const conversations = resample(loadWildchat(DATA, 150), N);
  const [timed, counting] = await Promise.all([startServerProcess(LATENCY), startServerProcess(1)]);
  const retry = { maxAttempts: 3, timeoutMs: 60_000 };
  const clientFor = (url: string, db?: Db) =>
    new LlmClient({
      provider: createOpenAiProvider({ id: "bench", baseUrl: url, model: "bench-model" }),
      concurrency: C,
      retry,
      ...(db ? { db } : {}),
    });
  console.log(
    `llm-pipeline: ${N} conversations resampled from WildChat, latency ${LATENCY} ms, concurrency ${C}, minibatch ${MINIBATCH}, ${PAIRING} pairs, at most ${MAX_PAIRS} pairs per comparison\n`,
  );

  // Warm-up outside the measurements: JIT, module set-up and C keep-alive connections.
  const warmUp = clientFor(timed.url);
  await Promise.all(
    conversations.slice(0, 2 * C).map((item) => warmUp.generate(buildExpertisePrompt(item))),
  );

  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const perThousand = (value: number) => Math.round((value * 1000) / N).toLocaleString("en-US");
  const ideal = (calls: number) => (calls * LATENCY) / C;

  const pipelined = await runPipeline(() => clientFor(timed.url), conversations, true);
  const staged = await runPipeline(() => clientFor(timed.url), conversations, false);
  const stagedIdeal =
    Math.ceil(staged.labelCalls / C) * LATENCY +
    Math.max(Math.ceil((staged.calls - staged.labelCalls) / C), staged.longestChain) * LATENCY;
  for (const [name, run] of [
    ["pipelined", pipelined],
    ["staged", staged],
  ] as const) {
    console.log(
      [
        `${name}: ${run.calls} calls (labelling ${run.labelCalls}, extraction ${run.calls - run.labelCalls} in ${run.rubrics} comparisons, longest chain ${run.longestChain})`,
        `  wall ${seconds(run.wallMs)}, ideal calls×latency/C ${seconds(ideal(run.calls))}, efficiency ${(ideal(run.calls) / run.wallMs).toFixed(3)}`,
        ...(name === "staged"
          ? [
              `  ideal with the stage boundary and the longest chain ${seconds(stagedIdeal)}, efficiency ${(stagedIdeal / run.wallMs).toFixed(3)}`,
            ]
          : []),
        `  per 1,000 conversations: ${perThousand(run.calls)} calls, ${perThousand(run.tokens)} tokens`,
      ].join("\n"),
    );
  }

  const naive = await runNaive(clientFor(counting.url), conversations);
  console.log(
    [
      "naive per-step, all pairs, fixed minibatch:",
      `  per 1,000 conversations: ${perThousand(naive.calls)} calls (labelling ${perThousand(naive.labelCalls)}), ${perThousand(naive.tokens)} tokens`,
      `  pipelined / naive: ${(pipelined.calls / naive.calls).toFixed(3)} of the calls, ${(pipelined.tokens / naive.tokens).toFixed(3)} of the tokens`,
    ].join("\n"),
  );

  const database = await openDatabase({ pgliteDataDir: "memory://" });
  try {
    const cached = () => clientFor(timed.url, database.db);
    const firstRun = await runPipeline(cached, conversations, true);
    const rerunRun = await runPipeline(cached, conversations, true);
    console.log(
      [
        "pipelined, with the PGlite response cache:",
        `  first run ${seconds(firstRun.wallMs)}, ${firstRun.calls} provider calls`,
        `  re-run ${seconds(rerunRun.wallMs)}, ${rerunRun.calls} provider calls, ${rerunRun.cachedCalls} served from the cache`,
      ].join("\n"),
    );
  } finally {
    await database.close();
    timed.stop();
    counting.stop();
  }
}

await (values.serve ? serve() : main());
