import type { App } from "../../app.ts";
import { UnavailableError } from "../../errors.ts";
import { ResponseGenerator } from "./response-generator.ts";

const generators = new WeakMap<App, ResponseGenerator | null>();

/** Longest reply generated for an application, in tokens. */
const MAX_REPLY_TOKENS = 2048;

/**
 * The app's generator for application replies: the default LLM provider (or the one named
 * `defaults.llmProvider` in tailor.config.json), built once. Undefined when no provider plugin
 * is loaded, which the service turns into a `NoProviderError`.
 */
export function responseGenerator(app: App): ResponseGenerator | undefined {
  if (generators.has(app)) return generators.get(app) ?? undefined;
  let generator: ResponseGenerator | null = null;
  try {
    const provider = app.plugins.llmProvider();
    generator = new ResponseGenerator(provider, { maxTokens: MAX_REPLY_TOKENS, temperature: 0 });
  } catch (error) {
    if (!(error instanceof UnavailableError)) throw error;
  }
  generators.set(app, generator);
  return generator ?? undefined;
}
