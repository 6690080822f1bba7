import type { BuiltinPlugin } from "../../plugins/builtin.ts";
import type { Logger } from "../logger.ts";
import { describeIssues, type PluginDefinition, type PluginLogger } from "../plugin-api/index.ts";
import { type PluginConfig, readPluginConfig } from "./config-file.ts";
import { PluginLoadError } from "./errors.ts";
import {
  importPluginDefinition,
  type ModuleLocation,
  resolvePluginModule,
} from "./module-loader.ts";
import { CapabilityRegistry } from "./registry.ts";

/** A plugin whose `setup` has run. */
export interface LoadedPlugin {
  name: string;
  version: string;
  definition: PluginDefinition;
  /** The module as listed: a path, a package name, or `builtin:<name>`. */
  module: string;
  builtin: boolean;
  /** The options as written in the config file, before parsing (shown masked by `list()`). */
  listedOptions: Record<string, unknown>;
}

interface PlannedPlugin {
  location: ModuleLocation;
  builtin: boolean;
  options: Record<string, unknown>;
}

export interface LoadPluginsInput {
  configFile: string;
  builtins: readonly BuiltinPlugin[];
  /** Built-ins loaded only when the config lists them as `builtin:<name>`. */
  optionalBuiltins?: readonly BuiltinPlugin[];
  lifecycleTimeoutMs: number;
  logger: Logger;
}

export interface LoadedPlugins {
  plugins: LoadedPlugin[];
  registry: CapabilityRegistry;
  defaults: PluginConfig["defaults"];
}

const BUILTIN_PREFIX = "builtin:";

/**
 * Loads the built-ins, then the config file's plugins, one at a time in list order, so that
 * registration order (and with it the default capability of each kind) is deterministic.
 * On any failure, closes the plugins already set up and throws a `PluginLoadError`.
 */
export async function loadPlugins(input: LoadPluginsInput): Promise<LoadedPlugins> {
  const { configFile, lifecycleTimeoutMs, logger } = input;
  const config = await readPluginConfig(configFile);
  const planned = planPlugins(config, input.builtins, input.optionalBuiltins ?? [], configFile);
  const registry = new CapabilityRegistry();
  const plugins: LoadedPlugin[] = [];
  try {
    for (const plan of planned) {
      await loadPlugin(plan, registry, plugins, lifecycleTimeoutMs, logger);
    }
    checkDefaults(config.defaults, registry, configFile);
  } catch (error) {
    await closePlugins(plugins, lifecycleTimeoutMs, logger);
    throw error;
  }
  return { plugins, registry, defaults: config.defaults };
}

/** Orders the plugins to load: built-ins (with options from `builtin:` entries), then the rest. */
function planPlugins(
  config: PluginConfig,
  defaultBuiltins: readonly BuiltinPlugin[],
  optionalBuiltins: readonly BuiltinPlugin[],
  configFile: string,
): PlannedPlugin[] {
  const listedNames = new Set(
    config.plugins
      .filter((entry) => entry.module.startsWith(BUILTIN_PREFIX))
      .map((entry) => entry.module.slice(BUILTIN_PREFIX.length)),
  );
  const builtins = [
    ...defaultBuiltins,
    ...optionalBuiltins.filter((builtin) => listedNames.has(builtin.name)),
  ];
  const builtinOptions = new Map<string, Record<string, unknown>>();
  const listed: PlannedPlugin[] = [];
  for (const entry of config.plugins) {
    if (!entry.module.startsWith(BUILTIN_PREFIX)) {
      listed.push({
        location: resolvePluginModule(entry.module, configFile),
        builtin: false,
        options: entry.options,
      });
      continue;
    }
    const name = entry.module.slice(BUILTIN_PREFIX.length);
    if (!builtins.some((builtin) => builtin.name === name)) {
      const known =
        [...defaultBuiltins, ...optionalBuiltins].map((builtin) => builtin.name).join(", ") ||
        "none";
      throw new PluginLoadError(
        entry.module,
        `${configFile} lists "${entry.module}", but there is no built-in plugin "${name}". Built-ins: ${known}.`,
      );
    }
    if (builtinOptions.has(name)) {
      throw new PluginLoadError(
        entry.module,
        `${configFile} lists "${entry.module}" twice; give its options in one entry.`,
      );
    }
    builtinOptions.set(name, entry.options);
  }
  const fromBuiltins = builtins.map((builtin) => ({
    location: {
      url: builtin.url,
      specifier: `${BUILTIN_PREFIX}${builtin.name}`,
      listedIn: "the built-in plugin list",
    },
    builtin: true,
    options: builtinOptions.get(builtin.name) ?? {},
  }));
  return [...fromBuiltins, ...listed];
}

async function loadPlugin(
  plan: PlannedPlugin,
  registry: CapabilityRegistry,
  plugins: LoadedPlugin[],
  lifecycleTimeoutMs: number,
  logger: Logger,
): Promise<void> {
  const definition = await importPluginDefinition(plan.location);
  const { name, version } = definition;
  const module = plan.location.specifier;
  const clash = plugins.find((plugin) => plugin.name === name);
  if (clash) {
    throw new PluginLoadError(
      name,
      `Two plugins are named "${name}": "${clash.module}" and "${module}". Plugin names must be unique; remove one of them from the config.`,
    );
  }

  const options = parseOptions(definition, plan.options, module);
  const loaded: LoadedPlugin = {
    name,
    version,
    definition,
    module,
    builtin: plan.builtin,
    listedOptions: plan.options,
  };
  // Listed before setup runs, so that a failing setup still gets its `close` call.
  plugins.push(loaded);
  const { context, seal } = registry.setupContext(
    { name, version },
    options,
    pluginLogger(logger, name),
  );
  try {
    await withTimeout(
      Promise.resolve().then(() => definition.setup(context)),
      lifecycleTimeoutMs,
    );
  } catch (error) {
    if (error instanceof PluginLoadError) throw error;
    throw new PluginLoadError(
      name,
      `Plugin "${name}" (${module}) failed in setup: ${(error as Error).message ?? String(error)}`,
      { cause: error },
    );
  } finally {
    seal();
  }
}

function parseOptions(
  definition: PluginDefinition,
  options: Record<string, unknown>,
  module: string,
): unknown {
  const { name, optionsSchema } = definition;
  if (!optionsSchema) {
    const keys = Object.keys(options);
    if (keys.length === 0) return {};
    throw new PluginLoadError(
      name,
      `Plugin "${name}" (${module}) takes no options, but the config gives ${keys.map((key) => `"${key}"`).join(", ")}. Remove them.`,
    );
  }
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new PluginLoadError(
      name,
      `Invalid options for plugin "${name}" (${module}): ${describeIssues(parsed.error).join("; ")}.`,
    );
  }
  return parsed.data;
}

function checkDefaults(
  defaults: PluginConfig["defaults"],
  registry: CapabilityRegistry,
  configFile: string,
): void {
  for (const [kind, id] of Object.entries(defaults) as [keyof typeof defaults, string][]) {
    if (registry.find(kind, id)) continue;
    const loaded = registry.all(kind).map((entry) => entry.source.capability);
    throw new PluginLoadError(
      id,
      `${configFile} sets defaults.${kind} to "${id}", but no loaded plugin registers a ${kind} with that id. Loaded: ${loaded.join(", ") || "none"}.`,
    );
  }
}

function pluginLogger(logger: Logger, plugin: string): PluginLogger {
  const child = logger.child({ plugin });
  return {
    info: (message, fields) => child.info(fields ?? {}, message),
    warn: (message, fields) => child.warn(fields ?? {}, message),
    error: (message, fields) => child.error(fields ?? {}, message),
  };
}

/** Closes plugins in reverse load order, each within the timeout; failures are logged. */
export async function closePlugins(
  plugins: readonly LoadedPlugin[],
  timeoutMs: number,
  logger: Logger,
): Promise<void> {
  for (const plugin of [...plugins].reverse()) {
    const close = plugin.definition.close;
    if (!close) continue;
    try {
      await withTimeout(
        Promise.resolve().then(() => close.call(plugin.definition)),
        timeoutMs,
      );
    } catch (error) {
      logger.error({ err: error, plugin: plugin.name }, "plugin close failed");
    }
  }
}

/** Resolves like `promise`, or rejects after `timeoutMs` with an error saying so. */
async function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not finish within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
