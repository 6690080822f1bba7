import type { PluginCallError } from "./errors.ts";

/**
 * The outcome of one capability call. `plugin` and `version` name the plugin that produced it,
 * and labels store both. A failure carries a `PluginCallError` whose message names the plugin,
 * the capability and the item.
 */
export type PluginResult<T> =
  | { ok: true; value: T; plugin: string; version: string }
  | { ok: false; plugin: string; version: string; error: PluginCallError };

/** The plugin and capability behind a hosted capability. */
export interface CapabilitySource {
  plugin: string;
  version: string;
  capability: string;
}
