// Server-side overhead of generateTailoredResponse: the same chat request sent once directly
// with the openai SDK and once through Tailor's GraphQL API (group and intent classification
// with the heuristic plugins, rubric lookup, prompt assembly, GraphQL over HTTP), both to a
// local OpenAI-compatible server that answers at once. Prints p50 and p99 latency and their
// difference: in process (the API's own work, no client-to-server hop), then over HTTP against
// `tailor serve` in its own process, as in production, at 1 and 32 concurrent clients; the
// clients and the stand-in LLM share this process. Run: npm run bench:tailor
import { spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { print } from "graphql";
import OpenAI from "openai";
import { pino } from "pino";
import { createApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { GenerateTailoredResponseDocument } from "../src/graphql/generated/graphql.ts";
import { createTailorYoga } from "../src/server.ts";
import { createGrouping, GROUPING_PRESETS } from "../src/services/grouping.service.ts";
import {
  startOpenAiTestServer,
  textReply,
  writeProviderConfig,
} from "../test/support/openai-test-server.ts";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const WARMUP = 200;
const QUESTION =
  "I get this error in Python: TypeError: 'NoneType' object is not subscriptable. How do I fix this bug?";
const ANSWER = "1. Find where the value is None.\n2. Guard it before the lookup.";

const llm = await startOpenAiTestServer({ handler: () => textReply(ANSWER) });
const home = await mkdtemp(path.join(os.tmpdir(), "tailor-bench-"));
const configFile = await writeProviderConfig(home, { baseUrl: llm.url, model: "bench-model" });
const environment = { TAILOR_HOME: home, TAILOR_CONFIG: configFile, LOG_LEVEL: "silent" };
const app = await createApp(loadConfig(environment), { logger: pino({ level: "silent" }) });
await createGrouping(app.database.db, app.plugins, GROUPING_PRESETS["us-vs-rest"]!);
for (const [kind, payload] of [
  [
    "import",
    {
      dataset: "demo",
      path: path.resolve(import.meta.dirname, "../examples/demo-conversations.jsonl"),
    },
  ],
  ["label", { dataset: "demo" }],
  ["extract-rubrics", { dataset: "demo", grouping: "us-vs-rest" }],
] as const) {
  const job = await app.jobs.enqueue(kind, payload);
  await app.jobs.waitFor(job.id);
}
const sdk = new OpenAI({ baseURL: llm.url, apiKey: "bench", maxRetries: 0 });
const direct = async () => {
  await sdk.chat.completions.create({
    model: "bench-model",
    messages: [{ role: "user", content: QUESTION }],
    max_tokens: 2048,
    temperature: 0,
  });
};
const body = JSON.stringify({
  query: print(GenerateTailoredResponseDocument),
  variables: {
    input: {
      messages: [{ role: "USER", content: QUESTION }],
      userMetadata: { country: "United States" },
    },
  },
});
/** Sends one generateTailoredResponse request through `send` and checks that it succeeded. */
async function requestTailor(send: () => Promise<Response>): Promise<void> {
  const response = await send();
  const json = (await response.json()) as {
    data?: { generateTailoredResponse: { __typename: string; mode?: string } };
  };
  if (
    json.data?.generateTailoredResponse.__typename !== "MutationGenerateTailoredResponseSuccess"
  ) {
    throw new Error(`unexpected response: ${JSON.stringify(json).slice(0, 300)}`);
  }
}
const requestInit = { method: "POST", headers: { "content-type": "application/json" }, body };

async function measure(
  run: () => Promise<void>,
  clients: number,
  requests: number,
): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < requests) {
        next += 1;
        const started = performance.now();
        await run();
        latencies.push(performance.now() - started);
      }
    }),
  );
  return latencies.sort((a, b) => a - b);
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const format = (ms: number) => `${ms.toFixed(2)} ms`;

console.log(
  `machine: ${os.cpus().length} cores (${os.cpus()[0]?.model}), node ${process.version}; ${REQUESTS} requests per row\n`,
);
console.log(
  "path          clients  direct p50  tailor p50  overhead p50  direct p99  tailor p99  overhead p99  p50 ratio",
);

function report(
  label: string,
  clients: number,
  directTimes: number[],
  tailorTimes: number[],
): void {
  const [d50, t50, d99, t99] = [
    percentile(directTimes, 50),
    percentile(tailorTimes, 50),
    percentile(directTimes, 99),
    percentile(tailorTimes, 99),
  ];
  console.log(
    [
      label.padEnd(12),
      String(clients).padEnd(7),
      format(d50).padStart(10),
      format(t50).padStart(11),
      format(t50 - d50).padStart(13),
      format(d99).padStart(11),
      format(t99).padStart(11),
      format(t99 - d99).padStart(13),
      (t50 / d50).toFixed(2).padStart(10),
    ].join("  "),
  );
}

// In process: the API's own work (GraphQL execution, classification, rubric lookup, prompt
// assembly, the provider call) without the extra HTTP hop between a client and the server.
const yoga = createTailorYoga(app);
const inProcess = () =>
  requestTailor(async () => yoga.fetch("http://tailor.bench/graphql", requestInit));
await measure(direct, 1, WARMUP);
await measure(inProcess, 1, WARMUP);
report("in-process", 1, await measure(direct, 1, REQUESTS), await measure(inProcess, 1, REQUESTS));
await app.close();

// The server process prints its URL on stderr once it listens.
const child = spawn(
  process.execPath,
  [
    // For example BENCH_SERVER_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/tailor-profile".
    ...(process.env.BENCH_SERVER_NODE_FLAGS?.split(" ").filter(Boolean) ?? []),
    path.resolve(import.meta.dirname, "../bin/tailor.js"),
    "serve",
    "--port",
    "0",
  ],
  {
    env: { ...process.env, ...environment },
    stdio: ["ignore", "ignore", "pipe"],
  },
);
const serverUrl = await new Promise<string>((resolve, reject) => {
  let output = "";
  child.stderr.on("data", (chunk) => {
    output += String(chunk);
    const match = /GraphQL API at (\S+)/.exec(output);
    if (match) resolve(match[1]!);
  });
  child.once("exit", (code) => reject(new Error(`tailor serve exited with ${code}: ${output}`)));
});

const overHttp = () => requestTailor(() => fetch(serverUrl, requestInit));
for (const clients of [1, 32]) {
  await measure(direct, clients, WARMUP);
  await measure(overHttp, clients, WARMUP);
  report(
    "http",
    clients,
    await measure(direct, clients, REQUESTS),
    await measure(overHttp, clients, REQUESTS),
  );
}

child.kill("SIGTERM");
await new Promise((resolve) => child.once("exit", resolve));
await llm.close();
