import { AsyncLocalStorage } from "node:async_hooks";
import OpenAI, { AzureOpenAI } from "openai";
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsBase,
} from "openai/resources/chat/completions";
import type {
  CallContext,
  ChatRequest,
  ChatResponse,
  LlmProvider,
  PluginLogger,
} from "../../src/plugin-api/index.ts";
import { OpenAiProviderError, type RawErrorCapture, toProviderError } from "./provider-error.ts";

/** Settings of one OpenAI-compatible endpoint. */
export interface OpenAiProviderOptions {
  /** Provider id used by Tailor (cache keys, logs); unique among loaded providers. */
  id: string;
  /** Endpoint root, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:8000/v1` for vLLM. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …` (`api-key` for Azure); local servers may need none. */
  apiKey?: string | undefined;
  /** Model (Azure: deployment) used when a request names none. */
  model: string;
  /** Set for Azure OpenAI: the `api-version` query parameter. */
  azureApiVersion?: string | undefined;
  /** Extra headers on every request, such as a gateway's routing header. */
  headers?: Record<string, string>;
  /**
   * `json_object` sends `response_format: {type: "json_object"}` for JSON requests; `off`
   * never sends it, for servers that reject the field. @default "json_object"
   */
  jsonMode?: "json_object" | "off";
  /** Ask for token usage in streams (`stream_options.include_usage`). @default true */
  streamUsage?: boolean;
  /**
   * Backstop timeout per request, in ms. The LLM layer aborts calls on its own, shorter
   * timeout first. @default 600000
   */
  timeoutMs?: number;
}

const FINISH_REASONS: Record<string, ChatResponse["finishReason"]> = {
  stop: "stop",
  length: "length",
  content_filter: "content_filter",
};

/**
 * Builds an `LlmProvider` for an OpenAI-compatible endpoint (OpenAI, Azure OpenAI, vLLM,
 * Ollama, llama.cpp server) on the openai SDK.
 *
 * Retries: none here. The SDK's own retries are off (`maxRetries: 0`) because the LLM layer
 * (src/llm) owns retries, backoff and the Retry-After ceiling. Two owners would multiply the
 * attempts and ignore the ceiling.
 */
export function createOpenAiProvider(
  options: OpenAiProviderOptions,
  logger?: PluginLogger,
): LlmProvider {
  const where = `LLM provider ${options.id} (${displayUrl(options.baseUrl)})`;
  const jsonMode = options.jsonMode ?? "json_object";
  // Set once a server has rejected `response_format`; later JSON requests go without it.
  let responseFormatRejected = false;

  // One SDK client for all calls: building one per request costs more than the request itself
  // against a fast local server. Each call's error capture travels in async-local storage.
  const captures = new AsyncLocalStorage<RawErrorCapture>();
  const client = createClient(options, capturingFetch(captures));
  const makeClient = (capture: RawErrorCapture) => ({
    create: ((params: never, requestOptions?: never) =>
      captures.run(capture, () =>
        client.chat.completions.create(params, requestOptions),
      )) as OpenAI["chat"]["completions"]["create"],
  });

  const body = (request: ChatRequest, withFormat: boolean): ChatCompletionCreateParamsBase => {
    const params: ChatCompletionCreateParamsBase = {
      model: request.model || options.model,
      messages: request.messages,
    };
    if (request.temperature !== undefined) params.temperature = request.temperature;
    // `max_tokens`, not `max_completion_tokens`: vLLM, Ollama and llama.cpp all read it.
    if (request.maxTokens !== undefined) params.max_tokens = request.maxTokens;
    if (withFormat) params.response_format = { type: "json_object" };
    return params;
  };

  const wantsFormat = (request: ChatRequest) =>
    request.json === true && jsonMode === "json_object" && !responseFormatRejected;

  /** Runs `send`, and once more without `response_format` when the server rejects that field. */
  async function withFormatFallback<T>(
    request: ChatRequest,
    send: (withFormat: boolean, capture: RawErrorCapture) => Promise<T>,
  ): Promise<T> {
    const capture: RawErrorCapture = {};
    const withFormat = wantsFormat(request);
    try {
      return await send(withFormat, capture);
    } catch (error) {
      const mapped = toProviderError(error, capture, where);
      const rejected =
        withFormat &&
        mapped instanceof OpenAiProviderError &&
        (mapped.status === 400 || mapped.status === 422) &&
        /response_format|json_object/i.test(mapped.body ?? "");
      if (!rejected) throw mapped;
      responseFormatRejected = true;
      logger?.warn("endpoint rejected response_format; sending JSON requests without it", {
        provider: options.id,
      });
      const retryCapture: RawErrorCapture = {};
      try {
        return await send(false, retryCapture);
      } catch (retryError) {
        throw toProviderError(retryError, retryCapture, where);
      }
    }
  }

  return {
    id: options.id,
    description: `OpenAI-compatible endpoint at ${displayUrl(options.baseUrl)}`,
    defaultModel: options.model,

    chat(request: ChatRequest, context: CallContext): Promise<ChatResponse> {
      return withFormatFallback(request, async (withFormat, capture) => {
        const completion: unknown = await makeClient(capture).create(
          { ...body(request, withFormat), stream: false },
          { signal: context.signal },
        );
        return toChatResponse(completion, where);
      });
    },

    async *stream(request: ChatRequest, context: CallContext) {
      const stream = await withFormatFallback(request, (withFormat, capture) =>
        makeClient(capture).create(
          {
            ...body(request, withFormat),
            stream: true,
            ...(options.streamUsage === false ? {} : { stream_options: { include_usage: true } }),
          },
          { signal: context.signal },
        ),
      );
      const state = {
        content: "",
        refusal: "",
        finish: null as string | null,
        usage: null as unknown,
      };
      try {
        for await (const chunk of stream) {
          const delta = readChunk(chunk, state);
          if (delta) yield { delta };
        }
      } catch (error) {
        throw toProviderError(error, {}, where);
      }
      const response: ChatResponse = {
        content: state.content,
        finishReason: mapFinishReason(state.finish),
        usage: mapUsage(state.usage),
        refusal: state.refusal === "" ? null : state.refusal,
      };
      yield response;
    },
  };
}

/** Folds one stream chunk into `state` and returns its text delta. */
function readChunk(
  chunk: ChatCompletionChunk,
  state: { content: string; refusal: string; finish: string | null; usage: unknown },
): string {
  // Servers differ: OpenAI sends usage once in a last chunk without choices, others repeat a
  // running total on every chunk. Keeping the latest report counts the final usage once.
  if (chunk.usage) state.usage = chunk.usage;
  const choice = chunk.choices?.[0];
  if (!choice) return "";
  if (choice.finish_reason) state.finish = choice.finish_reason;
  if (choice.delta?.refusal) state.refusal += choice.delta.refusal;
  const text = choice.delta?.content ?? "";
  state.content += text;
  return text;
}

function toChatResponse(completion: unknown, where: string): ChatResponse {
  const choices = (completion as ChatCompletion | null)?.choices;
  if (typeof completion !== "object" || completion === null || !Array.isArray(choices)) {
    // A 200 whose body is not a chat completion: HTML from a proxy, plain text, a bare JSON value.
    const body = typeof completion === "string" ? completion : JSON.stringify(completion);
    throw new OpenAiProviderError(
      `${where}: response is not a chat completion: ${body.slice(0, 500)}`,
      {
        status: 200,
        body,
      },
    );
  }
  const choice = choices[0];
  return {
    content: choice?.message?.content ?? "",
    finishReason: mapFinishReason(choice?.finish_reason ?? null),
    usage: mapUsage((completion as ChatCompletion).usage),
    refusal: choice?.message?.refusal ?? null,
  };
}

function mapFinishReason(reason: string | null): ChatResponse["finishReason"] {
  return (reason && FINISH_REASONS[reason]) || "other";
}

/** Usage with both counts as numbers, or null: a missing count is unknown, not 0. */
function mapUsage(usage: unknown): ChatResponse["usage"] {
  const value = usage as
    | { prompt_tokens?: unknown; completion_tokens?: unknown }
    | null
    | undefined;
  if (typeof value?.prompt_tokens !== "number" || typeof value.completion_tokens !== "number")
    return null;
  return { promptTokens: value.prompt_tokens, completionTokens: value.completion_tokens };
}

/**
 * Wraps fetch to keep the raw text of a non-2xx response in `capture`. The SDK gets an
 * identical response, and the error keeps the server's own words whatever their shape.
 */
function capturingFetch(captures: AsyncLocalStorage<RawErrorCapture>): typeof fetch {
  return async (input, init) => {
    const capture = captures.getStore();
    const response = await fetch(input, init);
    if (response.ok || !capture) return response;
    const text = await response.text().catch(() => "");
    capture.status = response.status;
    capture.body = text;
    return new Response(text, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

function createClient(
  options: OpenAiProviderOptions & { id: string },
  fetchFunction: typeof fetch,
): OpenAI {
  const common = {
    baseURL: options.baseUrl,
    maxRetries: 0,
    timeout: options.timeoutMs ?? 600_000,
    defaultHeaders: options.headers ?? {},
    logLevel: "off" as const,
    fetch: fetchFunction,
  };
  if (options.azureApiVersion) {
    return new AzureOpenAI({
      ...common,
      apiKey: options.apiKey,
      apiVersion: options.azureApiVersion,
    });
  }
  // Explicit values so the SDK never falls back to OPENAI_API_KEY, OPENAI_ORG_ID or
  // OPENAI_PROJECT_ID from the environment and sends them to a third-party endpoint.
  return new OpenAI({
    ...common,
    apiKey: options.apiKey ?? "unused",
    organization: null,
    project: null,
  });
}

/** Returns the base URL without credentials or query, for messages and descriptions. */
function displayUrl(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    url.username = "";
    url.password = "";
    url.search = "";
    return url.toString().replace(/\/$/, "");
  } catch {
    return "(invalid base URL)";
  }
}
