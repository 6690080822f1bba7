import { z } from "zod";
import type { LlmEnvironment } from "../config.ts";
import { describeIssues } from "../plugin-api/index.ts";
import { LlmConfigurationError } from "./llm-errors.ts";
import type { PriceTable } from "./usage-meter.ts";

/**
 * The kinds of LLM work, each of which may use its own provider and model:
 * `classification` (expertise and intent), `judgment` (turn satisfaction with its preference
 * explanation), `extraction` (rubric aspects), `generation` (tailored replies) and `judging`
 * (evaluation by a judge model).
 */
export const LLM_TASKS = [
  "classification",
  "judgment",
  "extraction",
  "generation",
  "judging",
] as const;
export type LlmTask = (typeof LLM_TASKS)[number];

/** Provider id of the endpoint configured through `TAILOR_LLM_BASE_URL`. */
export const ENV_PROVIDER_ID = "env";

const providerChoice = {
  /** Capability id of a loaded `llmProvider` plugin, or `env` for the TAILOR_LLM_BASE_URL one. */
  provider: z.string().min(1).optional(),
  /** Model to call; the provider's default model when absent. */
  model: z.string().min(1).optional(),
};

const priceTableSchema = z.record(
  z.string(),
  z.strictObject({ inputPerMillion: z.number().min(0), outputPerMillion: z.number().min(0) }),
);

/** The `llm` section of `tailor.config.json`. */
export const llmSectionSchema = z.strictObject({
  ...providerChoice,
  /** Provider calls in flight at once, per provider. @default 4 */
  concurrency: z.number().int().min(1).max(256).optional(),
  /** USD per million tokens by model, for cost figures and cost budgets. */
  prices: priceTableSchema.optional(),
  /** Default token budget of one LLM job; a job's own `budgetTokens` wins. */
  budgetTokens: z.number().int().min(1).optional(),
  /** Provider and model per task; a task left out uses the section's own provider and model. */
  tasks: z.partialRecord(z.enum(LLM_TASKS), z.strictObject(providerChoice)).optional(),
});
export type LlmSection = z.infer<typeof llmSectionSchema>;

/** One task's endpoint after merging the config file and the environment. */
export interface TaskRoute {
  /** Provider id; undefined means the default `llmProvider` of the plugin host. */
  provider: string | undefined;
  model: string | undefined;
}

/** The LLM settings that `buildLlmAccess` reads. */
export interface LlmSettings {
  routes: Record<LlmTask, TaskRoute>;
  concurrency: number;
  prices: PriceTable;
  budgetTokens: number | undefined;
  /** The TAILOR_LLM_BASE_URL endpoint, when set. */
  envEndpoint:
    | { baseUrl: string; apiKey: string | undefined; model: string | undefined }
    | undefined;
}

/**
 * Merges the config file's `llm` section with the TAILOR_LLM_* variables, which win. A base URL
 * in the environment makes its endpoint the default provider; per-task entries of the file
 * still choose their own.
 */
export function resolveLlmSettings(
  section: unknown,
  env: LlmEnvironment,
  configFile: string,
): LlmSettings {
  const parsed = llmSectionSchema.safeParse(section ?? {});
  if (!parsed.success) {
    throw new LlmConfigurationError(
      `The "llm" section of ${configFile} is invalid: ${describeIssues(parsed.error).join("; ")}.`,
    );
  }
  const file = parsed.data;
  const defaultRoute: TaskRoute = {
    provider: env.baseUrl ? ENV_PROVIDER_ID : file.provider,
    model: env.model ?? file.model,
  };
  const routes = Object.fromEntries(
    LLM_TASKS.map((task) => {
      const own = file.tasks?.[task];
      return [
        task,
        own?.provider || own?.model
          ? {
              provider: own.provider ?? defaultRoute.provider,
              model: own.model ?? (own.provider ? undefined : defaultRoute.model),
            }
          : defaultRoute,
      ];
    }),
  ) as Record<LlmTask, TaskRoute>;
  return {
    routes,
    concurrency: env.concurrency ?? file.concurrency ?? 4,
    prices: { ...file.prices, ...env.prices },
    budgetTokens: env.budgetTokens ?? file.budgetTokens,
    envEndpoint: env.baseUrl
      ? { baseUrl: env.baseUrl, apiKey: env.apiKey, model: env.model ?? file.model }
      : undefined,
  };
}
