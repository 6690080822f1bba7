import { TailorError } from "../errors.ts";
import type { PluginKind } from "../plugin-api/index.ts";

/**
 * A plugin could not be loaded: missing module, wrong API version, duplicate name or
 * capability id, invalid options, or a failing `setup`. Stops start-up; the message names the
 * plugin (or its module) and the problem.
 */
export class PluginLoadError extends TailorError {
  override name = "PluginLoadError";
  constructor(
    /** The plugin's name, or its module specifier when the name is not known yet. */
    readonly plugin: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super("PLUGIN_LOAD", message, options);
  }
}

/** Reason one capability call produced no usable output. */
export type PluginFailureCode =
  /** The plugin threw or its promise rejected. */
  | "PLUGIN_THREW"
  /** No result within the plugin timeout. */
  | "PLUGIN_TIMEOUT"
  /** The output broke the kind's schema or named an undeclared group, intent or aspect. */
  | "PLUGIN_INVALID_OUTPUT"
  /** The caller's signal aborted the call (the job was cancelled). */
  | "PLUGIN_ABORTED";

/**
 * The failure of one capability call on one item. The host returns it inside a
 * `PluginResult` rather than throwing it, so that a labelling job records it and goes on.
 */
export class PluginCallError extends TailorError {
  override name = "PluginCallError";
  constructor(
    override readonly code: PluginFailureCode,
    /** Name of the plugin that failed. */
    readonly plugin: string,
    readonly kind: PluginKind,
    /** Id of the capability within the plugin. */
    readonly capability: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(code, message, options);
  }
}
