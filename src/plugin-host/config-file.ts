import { readFile } from "node:fs/promises";
import { z } from "zod";
import { describeIssues } from "../plugin-api/index.ts";
import { PluginLoadError } from "./errors.ts";

/** One plugin to load: a module path or package name, and its options. */
const pluginEntrySchema = z.strictObject({
  /**
   * `./relative/path.ts` or `../x.js` (resolved against the config file's folder), an
   * absolute path, a package name, or `builtin:<name>` to give a built-in plugin options.
   */
  module: z.string().min(1),
  options: z.record(z.string(), z.unknown()).default({}),
});
export type PluginEntry = z.infer<typeof pluginEntrySchema>;

/**
 * The plugin section of `tailor.config.json`. Other top-level keys are left to the modules
 * that own them, so the object is not strict.
 */
const pluginConfigSchema = z.looseObject({
  plugins: z.array(pluginEntrySchema).default([]),
  /**
   * Capability ids that serve callers that name none. Without an entry, the one registered
   * last wins: plugins listed in the file load after the built-ins, so an integrator's judge
   * replaces the built-in one.
   */
  defaults: z
    .strictObject({
      intentClassifier: z.string().min(1).optional(),
      satisfactionJudge: z.string().min(1).optional(),
      llmProvider: z.string().min(1).optional(),
      trainer: z.string().min(1).optional(),
    })
    .default({}),
});
export type PluginConfig = z.infer<typeof pluginConfigSchema>;

/**
 * Reads and validates the plugin section of the config file. A missing file means built-ins
 * only; unreadable JSON or an invalid section throws a `PluginLoadError` naming the file.
 */
export async function readPluginConfig(configFile: string): Promise<PluginConfig> {
  let text: string;
  try {
    text = await readFile(configFile, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return pluginConfigSchema.parse({});
    throw new PluginLoadError(
      configFile,
      `Cannot read the plugin config file ${configFile}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PluginLoadError(
      configFile,
      `The plugin config file ${configFile} is not valid JSON: ${(error as Error).message}. Fix the file or point TAILOR_CONFIG elsewhere.`,
      { cause: error },
    );
  }
  const parsed = pluginConfigSchema.safeParse(json);
  if (!parsed.success) {
    const problems = describeIssues(parsed.error).join("; ");
    throw new PluginLoadError(
      configFile,
      `The plugin config file ${configFile} is invalid: ${problems}. Expected { "plugins": [{ "module": "./path or package-name", "options": { ... } }] }.`,
    );
  }
  return parsed.data;
}
