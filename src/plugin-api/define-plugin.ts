import type { z } from "zod";
import type {
  AspectDetector,
  GroupClassifierFactory,
  IntentClassifier,
  LlmProvider,
  PluginLogger,
  SatisfactionJudge,
  Trainer,
} from "./contracts.ts";

export const PLUGIN_API_VERSION = 1;

/** What `setup` receives. */
export interface PluginSetupContext<Options> {
  /** The plugin's options from `tailor.config.json`, validated by `optionsSchema`. */
  options: Options;
  logger: PluginLogger;
  registerGroupClassifier<O>(factory: GroupClassifierFactory<O>): void;
  registerIntentClassifier(classifier: IntentClassifier): void;
  registerSatisfactionJudge(judge: SatisfactionJudge): void;
  registerAspectDetector(detector: AspectDetector): void;
  registerLlmProvider(provider: LlmProvider): void;
  registerTrainer(trainer: Trainer): void;
}

export interface PluginDefinition<Options = unknown> {
  /** Unique plugin name, e.g. `@acme/tailor-enterprise-groups`. */
  name: string;
  /** The plugin's own version; stored with every label it produces. */
  version: string;
  /** The plugin API version it was written against; the host rejects any other. */
  apiVersion: typeof PLUGIN_API_VERSION;
  /** Validates the options from `tailor.config.json`; invalid options stop start-up. */
  optionsSchema?: z.ZodType<Options>;
  /** Names of options to mask (`***`) wherever options are shown, such as API keys. */
  secretOptions?: readonly string[];
  /**
   * Registers the plugin's capabilities. Called once at start-up; a throw stops start-up with
   * a message naming the plugin.
   */
  setup(context: PluginSetupContext<Options>): void | Promise<void>;
  /** Releases resources at shutdown. */
  close?(): void | Promise<void>;
}

export function definePlugin<Options = unknown>(definition: PluginDefinition<Options>): PluginDefinition<Options> {
  return definition;
}
