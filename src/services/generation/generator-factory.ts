import type { App } from "../../app.ts";
import { UnavailableError } from "../../errors.ts";
import { ResponseGenerator } from "./response-generator.ts";

const generators = new WeakMap<App, ResponseGenerator | null>();

/** Longest reply generated for an application, in tokens. */
const MAX_REPLY_TOKENS = 2048;

/**
 * The app's generator for application replies, built once: the provider and model configured
 * for the `generation` task (see the `llm` settings), or else the default LLM provider plugin.
 * Undefined when no provider is configured, which the service turns into a `NoProviderError`.
 */
export function responseGenerator(app: App): ResponseGenerator | undefined {
  if (generators.has(app)) return generators.get(app) ?? undefined;
  let generator: ResponseGenerator | null = null;
  if (app.llm) {
    const client = app.llm.client("generation");
    generator = new ResponseGenerator(client.provider, {
      model: client.model,
      maxTokens: MAX_REPLY_TOKENS,
      temperature: 0,
    });
  } else {
    try {
      const provider = app.plugins.llmProvider();
      generator = new ResponseGenerator(provider, { maxTokens: MAX_REPLY_TOKENS, temperature: 0 });
    } catch (error) {
      if (!(error instanceof UnavailableError)) throw error;
    }
  }
  generators.set(app, generator);
  return generator ?? undefined;
}
