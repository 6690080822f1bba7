import pLimit, { type LimitFunction } from "p-limit";
import { createOpenAiProvider } from "../../plugins/openai-provider/index.ts";
import type { TailorConfig } from "../config.ts";
import type { Db } from "../db/database.ts";
import { LlmAccess } from "../llm/llm-access.ts";
import { LlmClient } from "../llm/llm-client.ts";
import { LlmConfigurationError } from "../llm/llm-errors.ts";
import {
  ENV_PROVIDER_ID,
  LLM_TASKS,
  type LlmTask,
  resolveLlmSettings,
  type TaskRoute,
} from "../llm/llm-settings.ts";
import type { Logger } from "../logger.ts";
import type { LlmProvider } from "../plugin-api/index.ts";
import { readPluginConfig } from "../plugin-host/config-file.ts";
import type { PluginHost } from "../plugin-host/plugin-host.ts";

export interface LlmAccessInput {
  config: TailorConfig;
  plugins: PluginHost;
  /** Database of the response cache. */
  db: Db;
  logger: Logger;
}

/**
 * Builds the process's LLM access from the `llm` section of the config file, the TAILOR_LLM_*
 * variables and the loaded `llmProvider` plugins. Returns undefined when no provider is
 * configured at all (no TAILOR_LLM_BASE_URL and no provider plugin), so LLM jobs are rejected
 * at enqueue. Throws `LlmConfigurationError` for settings that name a missing provider or
 * leave a provider without a model, so a bad setting stops start-up instead of the first job.
 */
export async function buildLlmAccess(input: LlmAccessInput): Promise<LlmAccess | undefined> {
  const { config, plugins, logger } = input;
  const file = await readPluginConfig(config.configFile);
  const settings = resolveLlmSettings(file.llm, config.llm, config.configFile);

  let envProvider: LlmProvider | undefined;
  if (settings.envEndpoint) {
    const model = settings.envEndpoint.model;
    if (!model) {
      throw new LlmConfigurationError(
        "TAILOR_LLM_BASE_URL is set but no model is: set TAILOR_LLM_MODEL, or llm.model in the config file.",
      );
    }
    envProvider = createOpenAiProvider({
      id: ENV_PROVIDER_ID,
      baseUrl: settings.envEndpoint.baseUrl,
      apiKey: settings.envEndpoint.apiKey,
      model,
    });
  }
  const pluginProviders = plugins.list().flatMap((plugin) => plugin.capabilities.llmProvider ?? []);
  if (!envProvider && pluginProviders.length === 0) {
    const named = LLM_TASKS.map((task) => settings.routes[task].provider).find(Boolean);
    if (named) {
      throw new LlmConfigurationError(
        `${config.configFile} routes LLM work to provider "${named}", but no LLM provider is loaded. List an llmProvider plugin (such as "builtin:openai-provider") or set TAILOR_LLM_BASE_URL.`,
      );
    }
    return undefined;
  }

  const providerFor = (task: LlmTask, route: TaskRoute): LlmProvider => {
    if (route.provider === ENV_PROVIDER_ID) {
      if (envProvider) return envProvider;
      throw new LlmConfigurationError(
        `The ${task} task uses provider "env", but TAILOR_LLM_BASE_URL is not set.`,
      );
    }
    if (route.provider === undefined && envProvider) return envProvider;
    try {
      return plugins.llmProvider(route.provider);
    } catch (error) {
      throw new LlmConfigurationError(
        `The ${task} task's LLM provider cannot be used: ${(error as Error).message}`,
      );
    }
  };

  const limits = new Map<string, LimitFunction>();
  const shared = new Map<string, LlmClient>();
  const clients = {} as Record<LlmTask, LlmClient>;
  const concurrency = {} as Record<LlmTask, number>;
  for (const task of LLM_TASKS) {
    const route = settings.routes[task];
    const provider = providerFor(task, route);
    const model = route.model ?? provider.defaultModel;
    if (!model) {
      throw new LlmConfigurationError(
        `No model for the ${task} task on LLM provider ${provider.id}: set llm.model or llm.tasks.${task}.model in ${config.configFile}, or the provider's model option.`,
      );
    }
    const key = `${provider.id}\u0000${model}`;
    let client = shared.get(key);
    if (!client) {
      let limit = limits.get(provider.id);
      if (!limit) {
        limit = pLimit(settings.concurrency);
        limits.set(provider.id, limit);
      }
      client = new LlmClient({
        provider,
        model,
        db: input.db,
        limit,
        prices: settings.prices,
        logger,
      });
      shared.set(key, client);
    }
    clients[task] = client;
    concurrency[task] = settings.concurrency;
  }

  const access = new LlmAccess(clients, concurrency, settings.prices, settings.budgetTokens);
  logger.info(
    {
      endpoints: access
        .endpoints()
        .map(({ task, provider, model }) => `${task}: ${provider}/${model}`),
    },
    "LLM access configured",
  );
  return access;
}
