import {
  createOpenAiProvider,
  type OpenAiProviderOptions,
} from "../../plugins/openai-provider/index.ts";
import { LlmClient, type LlmClientOptions } from "../../src/llm/index.ts";
import type { LlmProvider } from "../../src/plugin-api/index.ts";
import {
  type OpenAiTestServer,
  type OpenAiTestServerOptions,
  startOpenAiTestServer,
} from "../support/openai-test-server.ts";

/** Retry settings for tests: real backoff rules with millisecond steps. */
export const FAST_RETRY = {
  maxAttempts: 3,
  baseDelayMs: 1,
  maxDelayMs: 4,
  maxRetryAfterMs: 60_000,
  timeoutMs: 5_000,
};

export interface LlmHarness {
  server: OpenAiTestServer;
  provider: LlmProvider;
  client: LlmClient;
  close(): Promise<void>;
}

/** Starts a test server, an `openai` provider pointed at it, and an `LlmClient` on that provider. */
export async function startLlmHarness(
  options: {
    server?: OpenAiTestServerOptions;
    provider?: Partial<OpenAiProviderOptions>;
    client?: Partial<LlmClientOptions>;
  } = {},
): Promise<LlmHarness> {
  const server = await startOpenAiTestServer(options.server);
  const provider = createOpenAiProvider({
    id: "openai",
    baseUrl: server.url,
    apiKey: "test-key",
    model: "test-model",
    ...options.provider,
  });
  const client = new LlmClient({ provider, retry: FAST_RETRY, ...options.client });
  return { server, provider, client, close: () => server.close() };
}
