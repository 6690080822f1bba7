import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local OpenAI-compatible chat server for tests and benchmarks: `POST …/chat/completions` on
 * 127.0.0.1 with scripted replies, streaming or not, and a log of every request.
 *
 * Each request takes the next reply queued for its prompt id, which is the
 * `tailor-prompt: <id>@<version>` line of its system message. Without one it takes the next
 * reply of the catch-all queue, then the handler's. With none of them the server returns a
 * 500 that names the prompt id.
 */

/** Token counts as the wire format spells them. */
export interface WireUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens?: number;
}

/** What the server sends back for one request. */
export type ScriptedReply =
  | {
      type: "completion";
      content: string;
      finishReason?: "stop" | "length" | "content_filter" | "tool_calls";
      refusal?: string;
      /** `auto` (default) counts characters / 4; null leaves usage out. */
      usage?: WireUsage | null | "auto";
      /**
       * Usage in streams. `final` sends one usage chunk before `[DONE]` when the request sets
       * `stream_options.include_usage`, as OpenAI does. `every-chunk` repeats the running
       * total on every chunk, and `none` never sends usage. @default "final"
       */
      streamUsage?: "final" | "every-chunk" | "none";
    }
  | {
      /** Any status with any body, e.g. 429 with `retry-after`, 500 with an HTML page. */
      type: "http";
      status: number;
      body: string;
      contentType?: string;
      headers?: Record<string, string>;
    }
  /** Sends no response. The request ends when the client aborts it. */
  | { type: "hang" };

/** One request as the server saw it. */
export interface RecordedRequest {
  path: string;
  headers: IncomingMessage["headers"];
  /** The parsed JSON body. */
  body: ChatBody;
  /** The prompt id from the system message marker, or `unmarked`. */
  promptId: string;
  stream: boolean;
  /** The system message, then the other messages' text, for handlers that read the data. */
  system: string;
  user: string;
}

export interface ChatBody {
  model: string;
  messages: { role: string; content: string }[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  max_tokens?: number;
  max_completion_tokens?: number;
  response_format?: { type: string };
  temperature?: number;
  [key: string]: unknown;
}

export type ReplyHandler = (request: RecordedRequest) => ScriptedReply | Promise<ScriptedReply>;

export interface OpenAiTestServerOptions {
  /** Fixed delay before each response, in ms. @default 0 */
  latencyMs?: number;
  /** Fallback for requests with nothing scripted. */
  handler?: ReplyHandler;
}

export interface OpenAiTestServer {
  /** Base URL to give the client, ending in `/v1`. */
  url: string;
  /** Every request received, in arrival order. */
  requests: RecordedRequest[];
  /** Number of requests, for one prompt id or for all. */
  calls(promptId?: string): number;
  /** Queues replies for one prompt id (`*` for any), used once each in order. */
  script(promptId: string, ...replies: ScriptedReply[]): void;
  setHandler(handler: ReplyHandler | undefined): void;
  setLatency(latencyMs: number): void;
  /** Maximum number of requests in progress at the same moment. */
  maxInFlight(): number;
  /** Resolves once `count` requests have arrived in total. */
  waitForRequests(count: number): Promise<void>;
  /** Resolves once the client has aborted `count` requests in total before their response. */
  waitForAborts(count: number): Promise<void>;
  close(): Promise<void>;
}

/** Builds a completion reply with the given text. */
export function textReply(
  content: string,
  extra: Partial<Extract<ScriptedReply, { type: "completion" }>> = {},
): ScriptedReply {
  return { type: "completion", content, ...extra };
}

/** Builds a completion reply whose text is `value` as JSON. */
export function jsonReply(
  value: unknown,
  extra: Partial<Extract<ScriptedReply, { type: "completion" }>> = {},
): ScriptedReply {
  return textReply(JSON.stringify(value), extra);
}

/** Builds an error reply with an OpenAI-style JSON body. */
export function errorReply(
  status: number,
  message: string,
  headers: Record<string, string> = {},
): ScriptedReply {
  const body = JSON.stringify({ error: { message, type: "test_error", param: null, code: null } });
  return { type: "http", status, body, contentType: "application/json", headers };
}

const PROMPT_MARKER = /tailor-prompt: ([a-z0-9-]+)@\d+/;

export async function startOpenAiTestServer(
  options: OpenAiTestServerOptions = {},
): Promise<OpenAiTestServer> {
  let latencyMs = options.latencyMs ?? 0;
  let handler = options.handler;
  const queues = new Map<string, ScriptedReply[]>();
  const requests: RecordedRequest[] = [];
  const waiters: { count: number; resolve: () => void; of: () => number }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let aborts = 0;

  const notify = () => {
    for (const waiter of [...waiters]) {
      if (waiter.of() >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  const waitFor = (count: number, of: () => number) =>
    new Promise<void>((resolve) => {
      waiters.push({ count, resolve, of });
      notify();
    });

  const pick = async (request: RecordedRequest): Promise<ScriptedReply> => {
    for (const key of [request.promptId, "*"]) {
      const queue = queues.get(key);
      if (queue && queue.length > 0) return queue.shift()!;
    }
    if (handler) return handler(request);
    return errorReply(500, `test server: nothing scripted for prompt ${request.promptId}`);
  };

  const server = createServer(async (req, res) => {
    if (req.method !== "POST" || !req.url?.split("?")[0]?.endsWith("/chat/completions")) {
      sendJson(res, 404, {
        error: { message: `no route ${req.method} ${req.url}`, type: "not_found" },
      });
      return;
    }
    let recorded: RecordedRequest;
    try {
      recorded = record(req, await readBody(req));
    } catch (error) {
      sendJson(res, 400, {
        error: { message: `test server: unreadable request body: ${String(error)}` },
      });
      return;
    }
    requests.push(recorded);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    notify();
    let answered = false;
    res.on("close", () => {
      inFlight -= 1;
      if (!answered && !res.writableFinished) {
        aborts += 1;
        notify();
      }
    });
    try {
      const reply = await pick(recorded);
      if (latencyMs > 0) await delay(latencyMs);
      if (res.destroyed) return;
      if (reply.type === "hang") return;
      answered = true;
      if (reply.type === "http") {
        res.writeHead(reply.status, {
          "content-type": reply.contentType ?? "text/plain",
          ...reply.headers,
        });
        res.end(reply.body);
      } else if (recorded.stream) {
        sendStream(res, recorded, reply);
      } else {
        sendJson(res, 200, completionBody(recorded, reply));
      }
    } catch (error) {
      answered = true;
      sendJson(res, 500, { error: { message: `test server handler failed: ${String(error)}` } });
    }
  });
  // Longer than Node's 5 s default, so a client that pauses (a benchmark opening its database)
  // does not race the server closing an idle keep-alive socket it is about to reuse.
  server.keepAliveTimeout = 30_000;
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    calls: (promptId) =>
      promptId ? requests.filter((r) => r.promptId === promptId).length : requests.length,
    script(promptId, ...replies) {
      queues.set(promptId, [...(queues.get(promptId) ?? []), ...replies]);
    },
    setHandler(next) {
      handler = next;
    },
    setLatency(next) {
      latencyMs = next;
    },
    maxInFlight: () => maxInFlight,
    waitForRequests: (count) => waitFor(count, () => requests.length),
    waitForAborts: (count) => waitFor(count, () => aborts),
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}

function record(req: IncomingMessage, raw: string): RecordedRequest {
  const body = JSON.parse(raw) as ChatBody;
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const system = messages
    .filter((message) => message.role === "system")
    .map((message) => message.content)
    .join("\n");
  const user = messages
    .filter((message) => message.role !== "system")
    .map((message) => message.content)
    .join("\n");
  return {
    path: req.url ?? "",
    headers: req.headers,
    body,
    promptId: PROMPT_MARKER.exec(system)?.[1] ?? "unmarked",
    stream: body.stream === true,
    system,
    user,
  };
}

type CompletionReply = Extract<ScriptedReply, { type: "completion" }>;

function usageFor(request: RecordedRequest, reply: CompletionReply): WireUsage | null {
  if (reply.usage === null) return null;
  if (reply.usage && reply.usage !== "auto") return reply.usage;
  // A stand-in tokenizer: about four characters per token, like English text in GPT tokenizers.
  const prompt = Math.ceil((request.system.length + request.user.length) / 4);
  const completion = Math.ceil(reply.content.length / 4);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
  };
}

function completionBody(request: RecordedRequest, reply: CompletionReply) {
  const usage = usageFor(request, reply);
  return {
    id: "chatcmpl-test",
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: request.body.model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: reply.content, refusal: reply.refusal ?? null },
        logprobs: null,
        finish_reason: reply.finishReason ?? "stop",
      },
    ],
    ...(usage ? { usage } : {}),
  };
}

function sendStream(res: ServerResponse, request: RecordedRequest, reply: CompletionReply): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const usage = usageFor(request, reply);
  const mode = reply.streamUsage ?? "final";
  const created = Math.floor(Date.now() / 1000);

  const chunk = (
    delta: Record<string, unknown>,
    finish: string | null,
    partialUsage: WireUsage | null,
  ) => {
    const payload = {
      id: "chatcmpl-test",
      object: "chat.completion.chunk",
      created,
      model: request.body.model,
      choices: [{ index: 0, delta, finish_reason: finish }],
      ...(mode === "every-chunk" ? { usage: partialUsage } : {}),
    };
    res.write(`data: ${JSON.stringify(payload)}\n\n`);
  };

  const pieces = reply.content.match(/[\s\S]{1,16}/g) ?? [];
  const running = (done: number): WireUsage | null =>
    usage
      ? {
          ...usage,
          completion_tokens: Math.ceil(
            (usage.completion_tokens * done) / Math.max(1, pieces.length),
          ),
        }
      : null;

  chunk({ role: "assistant", content: "" }, null, running(0));
  if (reply.refusal) chunk({ refusal: reply.refusal }, null, running(0));
  pieces.forEach((piece, index) => {
    chunk({ content: piece }, null, running(index + 1));
  });
  chunk({}, reply.finishReason ?? "stop", usage);
  if (mode === "final" && usage && request.body.stream_options?.include_usage) {
    res.write(
      `data: ${JSON.stringify({ id: "chatcmpl-test", object: "chat.completion.chunk", created, model: request.body.model, choices: [], usage })}\n\n`,
    );
  }
  res.write("data: [DONE]\n\n");
  res.end();
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(value));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Writes a `tailor.config.json` into `folder` that loads the openai provider plugin against
 * `baseUrl` with `model`, and returns its path.
 */
export async function writeProviderConfig(
  folder: string,
  options: { baseUrl: string; model: string; apiKey?: string },
): Promise<string> {
  const { writeFile } = await import("node:fs/promises");
  const configFile = `${folder}/tailor.config.json`;
  await writeFile(
    configFile,
    JSON.stringify({ plugins: [{ module: "builtin:openai-provider", options }] }),
  );
  return configFile;
}
