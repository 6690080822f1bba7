import {
  type AspectDetector,
  checkAspectDetector,
  checkGroupClassifierFactory,
  checkIntentClassifier,
  checkLlmProvider,
  checkSatisfactionJudge,
  checkTrainer,
  type GroupClassifierFactory,
  type IntentClassifier,
  type LlmProvider,
  type PluginKind,
  type PluginLogger,
  type PluginSetupContext,
  type SatisfactionJudge,
  type Trainer,
} from "../plugin-api/index.ts";
import { PluginLoadError } from "./errors.ts";
import type { CapabilitySource } from "./plugin-result.ts";

/** A registered capability with the plugin it came from. */
export interface Registered<T> {
  capability: T;
  source: CapabilitySource;
}

interface CapabilityTypes {
  groupClassifier: GroupClassifierFactory<unknown>;
  intentClassifier: IntentClassifier;
  satisfactionJudge: SatisfactionJudge;
  aspectDetector: AspectDetector;
  llmProvider: LlmProvider;
  trainer: Trainer;
}

const CHECKS: { [K in PluginKind]: (capability: CapabilityTypes[K]) => string[] } = {
  groupClassifier: checkGroupClassifierFactory,
  intentClassifier: checkIntentClassifier,
  satisfactionJudge: checkSatisfactionJudge,
  aspectDetector: checkAspectDetector,
  llmProvider: checkLlmProvider,
  trainer: checkTrainer,
};

/** The plugin being set up, as registration needs it. */
export interface PluginIdentity {
  name: string;
  version: string;
}

/**
 * Every capability of every loaded plugin, by kind and id, in registration order. Rejects an
 * invalid capability, an id registered twice within a kind, and an aspect name declared by two
 * detectors.
 */
export class CapabilityRegistry {
  private readonly byKind: { [K in PluginKind]: Map<string, Registered<CapabilityTypes[K]>> } = {
    groupClassifier: new Map(),
    intentClassifier: new Map(),
    satisfactionJudge: new Map(),
    aspectDetector: new Map(),
    llmProvider: new Map(),
    trainer: new Map(),
  };
  /** Aspect name → the detector (and plugin) that declared it. */
  private readonly aspectOwners = new Map<string, CapabilitySource>();

  all<K extends PluginKind>(kind: K): Registered<CapabilityTypes[K]>[] {
    return [...this.byKind[kind].values()] as Registered<CapabilityTypes[K]>[];
  }

  find<K extends PluginKind>(kind: K, id: string): Registered<CapabilityTypes[K]> | undefined {
    return this.byKind[kind].get(id) as Registered<CapabilityTypes[K]> | undefined;
  }

  /** Capability ids registered by one plugin, by kind. */
  idsOf(plugin: string): Partial<Record<PluginKind, string[]>> {
    const ids: Partial<Record<PluginKind, string[]>> = {};
    for (const kind of Object.keys(this.byKind) as PluginKind[]) {
      const own = this.all(kind)
        .filter((entry) => entry.source.plugin === plugin)
        .map((entry) => entry.source.capability);
      if (own.length > 0) ids[kind] = own;
    }
    return ids;
  }

  register<K extends PluginKind>(
    kind: K,
    capability: CapabilityTypes[K],
    plugin: PluginIdentity,
  ): void {
    const id = (capability as { id?: unknown } | null)?.id;
    const shown = typeof id === "string" ? `"${id}"` : "without an id";
    const problems =
      typeof capability === "object" && capability !== null
        ? CHECKS[kind](capability)
        : ["must be an object"];
    if (problems.length > 0) {
      throw new PluginLoadError(
        plugin.name,
        `Plugin "${plugin.name}" registered an invalid ${kind} ${shown}: ${problems.join("; ")}.`,
      );
    }
    const capabilityId = id as string;
    const existing = this.byKind[kind].get(capabilityId);
    if (existing) {
      throw new PluginLoadError(
        plugin.name,
        `Plugin "${plugin.name}" registered ${kind} "${capabilityId}", but plugin "${existing.source.plugin}" already registered one with that id. Rename one of them or remove one plugin from the config.`,
      );
    }
    const source = { plugin: plugin.name, version: plugin.version, capability: capabilityId };
    if (kind === "aspectDetector") this.claimAspects(capability as AspectDetector, source);
    this.byKind[kind].set(capabilityId, { capability, source } as never);
  }

  private claimAspects(detector: AspectDetector, source: CapabilitySource): void {
    for (const aspect of detector.aspects) {
      const owner = this.aspectOwners.get(aspect.name);
      if (owner) {
        throw new PluginLoadError(
          source.plugin,
          `Aspect "${aspect.name}" of detector "${source.capability}" (plugin "${source.plugin}") is already declared by detector "${owner.capability}" (plugin "${owner.plugin}"). Aspect names must be unique across detectors.`,
        );
      }
    }
    for (const aspect of detector.aspects) this.aspectOwners.set(aspect.name, source);
  }

  /**
   * Builds the context passed to a plugin's `setup`. Its `register…` methods work until
   * `seal` is called, which the host does as soon as `setup` settles.
   */
  setupContext<Options>(
    plugin: PluginIdentity,
    options: Options,
    logger: PluginLogger,
  ): { context: PluginSetupContext<Options>; seal(): void } {
    let open = true;
    const register =
      <K extends PluginKind>(kind: K) =>
      (capability: CapabilityTypes[K]) => {
        if (!open) {
          throw new PluginLoadError(
            plugin.name,
            `Plugin "${plugin.name}" tried to register a ${kind} after its setup finished; register every capability inside setup.`,
          );
        }
        this.register(kind, capability, plugin);
      };
    const context: PluginSetupContext<Options> = {
      options,
      logger,
      registerGroupClassifier: register(
        "groupClassifier",
      ) as PluginSetupContext<Options>["registerGroupClassifier"],
      registerIntentClassifier: register("intentClassifier"),
      registerSatisfactionJudge: register("satisfactionJudge"),
      registerAspectDetector: register("aspectDetector"),
      registerLlmProvider: register("llmProvider"),
      registerTrainer: register("trainer"),
    };
    return {
      context,
      seal() {
        open = false;
      },
    };
  }
}
