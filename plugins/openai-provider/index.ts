import { z } from "zod";
import { capabilityIdSchema, definePlugin } from "../../src/plugin-api/index.ts";
import { createOpenAiProvider, type OpenAiProviderOptions } from "./openai.provider.ts";

export { createOpenAiProvider, type OpenAiProviderOptions } from "./openai.provider.ts";
export { OpenAiProviderError, parseRetryAfter } from "./provider-error.ts";

const optionsSchema = z
  .object({
    id: capabilityIdSchema.default("openai"),
    baseUrl: z.url({ message: "baseUrl must be an http(s) URL such as http://127.0.0.1:8000/v1" }),
    apiKey: z.string().min(1).optional(),
    model: z.string().min(1, { message: "model must name the model or Azure deployment to call" }),
    azureApiVersion: z.string().min(1).optional(),
    headers: z.record(z.string(), z.string()).default({}),
    jsonMode: z.enum(["json_object", "off"]).default("json_object"),
    streamUsage: z.boolean().default(true),
    timeoutMs: z.number().int().min(1).default(600_000),
  })
  .refine((options) => !options.azureApiVersion || options.apiKey, {
    message: "apiKey is required when azureApiVersion is set (Azure OpenAI)",
    path: ["apiKey"],
  });

/**
 * Registers one `llmProvider` for an OpenAI-compatible chat endpoint. List the plugin once per
 * endpoint, each with its own `id`:
 *
 * ```json
 * { "module": "./plugins/openai-provider/index.ts",
 *   "options": { "baseUrl": "http://127.0.0.1:8000/v1", "model": "llama-3-8b-instruct" } }
 * ```
 */
export default definePlugin<OpenAiProviderOptions>({
  name: "openai-provider",
  version: "1.0.0",
  apiVersion: 1,
  description:
    "LLM provider for OpenAI-compatible endpoints: OpenAI, Azure OpenAI, vLLM, Ollama, llama.cpp.",
  optionsSchema,
  secretOptions: ["apiKey"],
  setup(context) {
    context.registerLlmProvider(createOpenAiProvider(context.options, context.logger));
  },
});
