import type { z } from "zod";
import type { AspectDetector } from "./aspect-detector.ts";
import type { PluginLogger } from "./conversation.ts";
import type { GroupClassifierFactory } from "./group-classifier.ts";
import type { IntentClassifier } from "./intent-classifier.ts";
import type { LlmProvider } from "./llm-provider.ts";
import type { SatisfactionJudge } from "./satisfaction-judge.ts";
import type { Trainer } from "./trainer.ts";

/** The plugin API version this build of Tailor implements. */
export const PLUGIN_API_VERSION = 1;

/** The capability kinds of plugin API v1. */
export const PLUGIN_KINDS = [
  "groupClassifier",
  "intentClassifier",
  "satisfactionJudge",
  "aspectDetector",
  "llmProvider",
  "trainer",
] as const;
export type PluginKind = (typeof PLUGIN_KINDS)[number];

/**
 * The context `setup` receives. The `register…` methods may be called only while `setup` runs.
 * Each validates the capability at once and throws a message naming the problem (an invalid
 * id, an empty taxonomy, an invalid aspect name), which stops start-up.
 */
export interface PluginSetupContext<Options> {
  /** The plugin's options from `tailor.config.json`, parsed by `optionsSchema`. */
  options: Options;
  /** Logger whose lines carry the plugin's name. */
  logger: PluginLogger;
  /** Adds a group classifier factory; groupings refer to it by `factory.id`. */
  registerGroupClassifier<O>(factory: GroupClassifierFactory<O>): void;
  /** Adds an intent classifier with its taxonomy. */
  registerIntentClassifier(classifier: IntentClassifier): void;
  /** Adds a satisfaction judge. */
  registerSatisfactionJudge(judge: SatisfactionJudge): void;
  /** Adds an aspect detector with its declared aspects. */
  registerAspectDetector(detector: AspectDetector): void;
  /** Adds an LLM provider (contract only in API v1). */
  registerLlmProvider(provider: LlmProvider): void;
  /** Adds a trainer (contract only in API v1). */
  registerTrainer(trainer: Trainer): void;
}

/** A plugin: what its module default-exports through `definePlugin`. */
export interface PluginDefinition<Options = unknown> {
  /** Unique plugin name, e.g. `@acme/tailor-enterprise-groups`; names every failure it causes. */
  name: string;
  /** The plugin's own version; stored with every label it produces. */
  version: string;
  /** The plugin API version it was written against; the host rejects any other. */
  apiVersion: typeof PLUGIN_API_VERSION;
  /** One sentence shown by the `plugins` query. */
  description?: string;
  /**
   * Validates and fills in the options from `tailor.config.json`; invalid options stop
   * start-up with the schema's messages. Without a schema the plugin takes no options, and
   * any option given stops start-up.
   */
  optionsSchema?: z.ZodType<Options>;
  /**
   * Names of options to mask (`***`) wherever options are shown. Keys that look like secrets
   * (`apiKey`, `clientSecret`, `authToken`, `password`) are masked without being listed.
   */
  secretOptions?: readonly string[];
  /**
   * Registers the plugin's capabilities. Called once at start-up, before any capability is
   * used. A throw, or a rejected registration, stops start-up with a message naming the plugin.
   */
  setup(context: PluginSetupContext<Options>): void | Promise<void>;
  /**
   * Releases resources (connections, timers) at shutdown. Called once, after the last
   * capability call; a throw is logged and does not stop other plugins from closing.
   */
  close?(): void | Promise<void>;
}

/**
 * Declares a plugin. Returns the definition unchanged; its use is type checking, so that a
 * plugin module reads `export default definePlugin({ ... })`.
 */
export function definePlugin<Options = unknown>(
  definition: PluginDefinition<Options>,
): PluginDefinition<Options> {
  return definition;
}
