/**
 * The plugin host: loads plugins at start-up and offers their capabilities to callers.
 *
 * Loading (`PluginHost.load`) reads `tailor.config.json` (`config.configFile`), where a
 * missing file means built-ins only. It imports the built-ins and then every listed module,
 * validates each definition and its options, and runs each `setup`. Any problem (missing
 * module, wrong API version, duplicate plugin name or capability id, invalid options, failing
 * setup) throws a `PluginLoadError` naming the plugin, and start-up stops.
 *
 * Calling capabilities, for the labelling job, GraphQL and tailoring:
 *
 * - `groupClassifierFactories()`: the group classifiers groupings may use, with descriptions.
 * - `createGroupClassifier(id, options)`: validates a grouping's options with the factory's
 *   schema and builds its classifier. It throws `InvalidInputError` (field `classifier` or
 *   `options`) for an unknown id or invalid options, and `PluginCallError` when the plugin
 *   declares invalid groups. The returned classifier has `groups` (to store with the grouping)
 *   and `classify(conversation, signal?)`.
 * - `intentClassifier(id?)`, `satisfactionJudge(id?)`: the capability with that id, or the
 *   default one (`defaults` in the config file, else the one registered last). Throw
 *   `InvalidInputError` for an unknown id, `UnavailableError` when none is loaded.
 * - `aspectDetectors()`: every detector, in load order, with `detect(reply)` (synchronous).
 * - `llmProvider(id?)`, `trainer(id?)`: contract only in API v1, returned unwrapped because
 *   their callers own timeouts and retries.
 *
 * Every wrapped call returns (`detect`) or resolves to a `PluginResult`, either
 * `{ ok: true, value, plugin, version }` or `{ ok: false, plugin, version, error }`. A call
 * fails when the plugin threw, or timed out (`config.pluginTimeoutMs`, after which the
 * plugin's `AbortSignal` aborts). It also fails when the output breaks the kind's schema or
 * the declared groups, taxonomy or aspects, or when the caller's signal aborted. Wrapped calls
 * never throw for a plugin's fault, so a job records the failure (`error.message` names
 * plugin, capability and conversation) and goes on with the next item.
 *
 * `list()` describes the loaded plugins for the `plugins` query, with secret options masked;
 * `close()` calls every plugin's `close`, in reverse load order.
 */
import {
  BUILTIN_PLUGINS,
  type BuiltinPlugin,
  OPTIONAL_BUILTIN_PLUGINS,
} from "../../plugins/builtin.ts";
import type { TailorConfig } from "../config.ts";
import { InvalidInputError, UnavailableError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import {
  checkDeclaredGroups,
  describeIssues,
  type LlmProvider,
  type PluginKind,
  type Trainer,
} from "../plugin-api/index.ts";
import { PluginCallError } from "./errors.ts";
import {
  type GroupClassifierInfo,
  type HostedAspectDetector,
  type HostedGroupClassifier,
  type HostedIntentClassifier,
  type HostedSatisfactionJudge,
  hostAspectDetector,
  hostGroupClassifier,
  hostIntentClassifier,
  hostSatisfactionJudge,
} from "./hosted.ts";
import { closePlugins, type LoadedPlugin, loadPlugins } from "./load-plugins.ts";
import { maskSecrets } from "./mask-secrets.ts";
import type { CapabilityRegistry } from "./registry.ts";

export { PluginCallError, PluginLoadError } from "./errors.ts";
export type * from "./hosted.ts";
export type { PluginResult } from "./plugin-result.ts";

/** A loaded plugin as the `plugins` query shows it. */
export interface PluginInfo {
  name: string;
  version: string;
  description: string | null;
  /** The module specifier as listed, or `builtin:<name>`. */
  module: string;
  builtin: boolean;
  /** Kinds the plugin registered at least one capability of. */
  kinds: PluginKind[];
  /** Capability ids by kind. */
  capabilities: Partial<Record<PluginKind, string[]>>;
  /** Options as listed in the config file, with secrets shown as `***`. */
  options: Record<string, unknown>;
}

export interface PluginHostOptions {
  /** Built-in plugins loaded before the config file's; `BUILTIN_PLUGINS` by default. */
  builtins?: readonly BuiltinPlugin[];
  /** Maximum time one plugin's `setup` or `close` may take, in ms; 60 s by default. */
  lifecycleTimeoutMs?: number;
}

/** Time allowed for `setup` and `close`, which may open connections or load data files. */
const DEFAULT_LIFECYCLE_TIMEOUT_MS = 60_000;

type DefaultKind = "intentClassifier" | "satisfactionJudge" | "llmProvider" | "trainer";

const KIND_WORDS: Record<PluginKind, string> = {
  groupClassifier: "group classifier",
  intentClassifier: "intent classifier",
  satisfactionJudge: "satisfaction judge",
  aspectDetector: "aspect detector",
  llmProvider: "LLM provider",
  trainer: "trainer",
};

/** Loaded plugins and their capabilities. See the top of this file for the API. */
export class PluginHost {
  private readonly intentClassifiers = new Map<string, HostedIntentClassifier>();
  private readonly judges = new Map<string, HostedSatisfactionJudge>();
  private readonly detectors: HostedAspectDetector[];
  private closed = false;

  private constructor(
    private readonly plugins: readonly LoadedPlugin[],
    private readonly registry: CapabilityRegistry,
    private readonly defaults: Partial<Record<DefaultKind, string>>,
    private readonly timeoutMs: number,
    private readonly lifecycleTimeoutMs: number,
    private readonly logger: Logger,
  ) {
    for (const { capability, source } of registry.all("intentClassifier")) {
      this.intentClassifiers.set(
        source.capability,
        hostIntentClassifier(capability, source, timeoutMs),
      );
    }
    for (const { capability, source } of registry.all("satisfactionJudge")) {
      this.judges.set(source.capability, hostSatisfactionJudge(capability, source, timeoutMs));
    }
    this.detectors = registry
      .all("aspectDetector")
      .map(({ capability, source }) => hostAspectDetector(capability, source, timeoutMs));
  }

  /**
   * Loads the built-ins and the plugins listed in `config.configFile`. Throws a
   * `PluginLoadError` naming the plugin and the problem; plugins already set up are closed first.
   */
  static async load(
    config: TailorConfig,
    logger: Logger,
    options: PluginHostOptions = {},
  ): Promise<PluginHost> {
    const lifecycleTimeoutMs = options.lifecycleTimeoutMs ?? DEFAULT_LIFECYCLE_TIMEOUT_MS;
    const loaded = await loadPlugins({
      configFile: config.configFile,
      builtins: options.builtins ?? BUILTIN_PLUGINS,
      optionalBuiltins: options.builtins ? [] : OPTIONAL_BUILTIN_PLUGINS,
      lifecycleTimeoutMs,
      logger,
    });
    const host = new PluginHost(
      loaded.plugins,
      loaded.registry,
      loaded.defaults,
      config.pluginTimeoutMs,
      lifecycleTimeoutMs,
      logger,
    );
    logger.info(
      { plugins: loaded.plugins.map((plugin) => `${plugin.name}@${plugin.version}`) },
      "plugins loaded",
    );
    return host;
  }

  list(): PluginInfo[] {
    return this.plugins.map((plugin) => {
      const capabilities = this.registry.idsOf(plugin.name);
      return {
        name: plugin.name,
        version: plugin.version,
        description: plugin.definition.description ?? null,
        module: plugin.module,
        builtin: plugin.builtin,
        kinds: Object.keys(capabilities) as PluginKind[],
        capabilities,
        options: maskSecrets(plugin.listedOptions, plugin.definition.secretOptions),
      };
    });
  }

  groupClassifierFactories(): GroupClassifierInfo[] {
    return this.registry.all("groupClassifier").map(({ capability, source }) => ({
      id: source.capability,
      plugin: source.plugin,
      version: source.version,
      description: capability.description,
    }));
  }

  /**
   * Validates a grouping's options and builds its classifier. Throws `InvalidInputError` for
   * an unknown classifier id or options that the factory's schema or `create` rejects, and a
   * `PluginCallError` when the classifier declares invalid groups (a fault of the plugin).
   */
  createGroupClassifier(id: string, options: unknown): HostedGroupClassifier {
    const entry = this.findOrThrow("groupClassifier", id);
    const { capability: factory, source } = entry;
    const label = `group classifier "${id}" (plugin "${source.plugin}")`;
    const parsed = factory.optionsSchema.safeParse(options ?? {});
    if (!parsed.success) {
      throw new InvalidInputError(
        "options",
        `Invalid options for ${label}: ${describeIssues(parsed.error).join("; ")}.`,
      );
    }
    let classifier: ReturnType<typeof factory.create>;
    try {
      classifier = factory.create(parsed.data);
    } catch (error) {
      throw new InvalidInputError(
        "options",
        `The ${label} rejected its options: ${(error as Error).message}`,
      );
    }
    const problems =
      typeof classifier?.classify === "function"
        ? checkDeclaredGroups(classifier.groups)
        : ["create() must return an object with a classify function"];
    if (problems.length > 0) {
      throw new PluginCallError(
        "PLUGIN_INVALID_OUTPUT",
        source.plugin,
        "groupClassifier",
        id,
        `The ${label} built an invalid classifier: ${problems.join("; ")}.`,
      );
    }
    const groups = Object.freeze([...classifier.groups]);
    return hostGroupClassifier(classifier, groups, parsed.data, source, this.timeoutMs);
  }

  intentClassifier(id?: string): HostedIntentClassifier {
    const chosen = this.chooseId("intentClassifier", id);
    return this.intentClassifiers.get(chosen)!;
  }

  satisfactionJudge(id?: string): HostedSatisfactionJudge {
    const chosen = this.chooseId("satisfactionJudge", id);
    return this.judges.get(chosen)!;
  }

  aspectDetectors(): readonly HostedAspectDetector[] {
    return this.detectors;
  }

  /** Returns the LLM provider unwrapped, because the LLM layer owns its timeouts and retries. */
  llmProvider(id?: string): LlmProvider {
    return this.findOrThrow("llmProvider", this.chooseId("llmProvider", id)).capability;
  }

  /** Returns the trainer unwrapped, because the training job owns its retries. */
  trainer(id?: string): Trainer {
    return this.findOrThrow("trainer", this.chooseId("trainer", id)).capability;
  }

  /** Closes every plugin in reverse load order; a failing `close` is logged, not thrown. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await closePlugins(this.plugins, this.lifecycleTimeoutMs, this.logger);
  }

  private findOrThrow<K extends PluginKind>(kind: K, id: string) {
    const entry = this.registry.find(kind, id);
    if (!entry) {
      const loaded = this.registry.all(kind).map((item) => item.source.capability);
      throw new InvalidInputError(
        kind === "groupClassifier" ? "classifier" : kind,
        `No ${KIND_WORDS[kind]} "${id}" is loaded. Loaded: ${loaded.length > 0 ? loaded.join(", ") : "none"}.`,
      );
    }
    return entry;
  }

  private chooseId(kind: DefaultKind, id: string | undefined): string {
    if (id !== undefined) return this.findOrThrow(kind, id).source.capability;
    const fallback = this.defaults[kind] ?? this.registry.all(kind).at(-1)?.source.capability;
    if (fallback === undefined) {
      throw new UnavailableError(
        `No ${KIND_WORDS[kind]} is loaded. Add a plugin that registers one to tailor.config.json.`,
      );
    }
    return fallback;
  }
}
