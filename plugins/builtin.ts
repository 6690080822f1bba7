/**
 * The built-in plugins. The host loads each module by URL through the same path as a plugin
 * listed in `tailor.config.json`, so built-ins get no access that a third-party plugin lacks.
 * A config entry `{ "module": "builtin:<name>", "options": { ... } }` gives one of them options.
 */
export interface BuiltinPlugin {
  /** The name after `builtin:` in a config entry; equal to the plugin's own `name`. */
  name: string;
  /** File URL of the module that default-exports the plugin. */
  url: string;
}

function builtin(name: string, file: string): BuiltinPlugin {
  return { name, url: new URL(file, import.meta.url).href };
}

export const BUILTIN_PLUGINS: readonly BuiltinPlugin[] = [
  builtin("metadata-groups", "./metadata-groups/index.ts"),
  builtin("heuristic-expertise", "./heuristic-expertise/index.ts"),
  builtin("keyword-intent", "./keyword-intent/index.ts"),
  builtin("lexical-judge", "./lexical-judge/index.ts"),
  builtin("aspect-detectors", "./aspect-detectors/index.ts"),
  builtin("llm-expertise", "./llm-expertise/index.ts"),
];

/**
 * Built-ins that load only when `tailor.config.json` lists them as `builtin:<name>`, because
 * they need options (an endpoint URL, say) that have no sensible default.
 */
export const OPTIONAL_BUILTIN_PLUGINS: readonly BuiltinPlugin[] = [
  builtin("openai-provider", "./openai-provider/index.ts"),
];
