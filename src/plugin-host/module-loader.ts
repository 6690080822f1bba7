import { access } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { z } from "zod";
import { describeIssues, PLUGIN_API_VERSION, type PluginDefinition } from "../plugin-api/index.ts";
import { PluginLoadError } from "./errors.ts";

/** A module to import, and how to name it in messages. */
export interface ModuleLocation {
  /** Argument for `import()`: a file URL, or a bare package name. */
  url: string;
  /** The specifier as written, for messages. */
  specifier: string;
  /** Origin of the specifier, for messages: the config file or "the built-in plugin list". */
  listedIn: string;
}

/**
 * Resolves a module specifier from the config file. Relative paths resolve against the
 * config file's folder. Package names resolve from that folder's `node_modules` when Node's
 * CommonJS resolver finds them there, and otherwise from Tailor's own, which covers
 * ESM-only packages whose `exports` have no `require` condition.
 */
export function resolvePluginModule(specifier: string, configFile: string): ModuleLocation {
  const listedIn = configFile;
  if (specifier.startsWith("file:")) return { url: specifier, specifier, listedIn };
  if (specifier.startsWith("./") || specifier.startsWith("../") || path.isAbsolute(specifier)) {
    const file = path.resolve(path.dirname(configFile), specifier);
    return { url: pathToFileURL(file).href, specifier, listedIn };
  }
  try {
    const file = createRequire(configFile).resolve(specifier);
    return { url: pathToFileURL(file).href, specifier, listedIn };
  } catch {
    return { url: specifier, specifier, listedIn };
  }
}

const definitionShape = z.object({
  name: z.string().min(1).max(200),
  version: z.string().min(1).max(100),
  apiVersion: z.number(),
  description: z.string().max(500).optional(),
  optionsSchema: z
    .custom<z.ZodType>(
      (value) => typeof (value as { safeParse?: unknown })?.safeParse === "function",
      {
        message: "must be a zod schema",
      },
    )
    .optional(),
  secretOptions: z.array(z.string()).optional(),
  setup: z.custom<PluginDefinition["setup"]>((value) => typeof value === "function", {
    message: "must be a function",
  }),
  close: z
    .custom<NonNullable<PluginDefinition["close"]>>((value) => typeof value === "function", {
      message: "must be a function",
    })
    .optional(),
});

/**
 * Imports a plugin module and checks its default export: a `definePlugin(...)` definition for
 * this plugin API version. Throws a `PluginLoadError` naming the module and the problem.
 */
export async function importPluginDefinition(location: ModuleLocation): Promise<PluginDefinition> {
  const { url, specifier, listedIn } = location;
  const label = `Plugin module "${specifier}" (listed in ${listedIn})`;
  if (url.startsWith("file:")) {
    const file = fileURLToPath(url);
    try {
      await access(file);
    } catch {
      throw new PluginLoadError(
        specifier,
        `${label} was not found at ${file}. Check the path; relative paths resolve against the config file's folder.`,
      );
    }
  }

  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const missing = code === "ERR_MODULE_NOT_FOUND" && !url.startsWith("file:");
    throw new PluginLoadError(
      specifier,
      missing
        ? `${label} was not found: ${(error as Error).message}. Install the package or fix the name.`
        : `${label} failed to load: ${(error as Error).message}`,
      { cause: error },
    );
  }

  // A CommonJS module that sets `exports.default` arrives wrapped once more.
  let candidate = namespace.default;
  const wrapped = candidate as { default?: unknown; setup?: unknown } | undefined;
  if (wrapped && typeof wrapped.setup !== "function" && wrapped.default)
    candidate = wrapped.default;
  if (typeof candidate !== "object" || candidate === null) {
    throw new PluginLoadError(
      specifier,
      `${label} has no default export. A plugin module must end with \`export default definePlugin({ ... })\`.`,
    );
  }

  const definition = candidate as Record<string, unknown>;
  const name = typeof definition.name === "string" ? definition.name : specifier;
  if (definition.apiVersion !== PLUGIN_API_VERSION) {
    throw new PluginLoadError(
      name,
      `Plugin "${name}" from ${label} was written for plugin API version ${JSON.stringify(definition.apiVersion)}, but this Tailor implements version ${PLUGIN_API_VERSION}. Update the plugin or use a Tailor release for its API version.`,
    );
  }
  const parsed = definitionShape.safeParse(definition);
  if (!parsed.success) {
    throw new PluginLoadError(
      name,
      `Plugin "${name}" from ${label} is not a valid plugin definition: ${describeIssues(parsed.error).join("; ")}.`,
    );
  }
  return candidate as PluginDefinition;
}
