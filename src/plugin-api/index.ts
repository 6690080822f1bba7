/**
 * Tailor plugin API, version 1: the only module a plugin imports.
 *
 * A plugin default-exports `definePlugin({ name, version, apiVersion: 1, setup })`. The host
 * calls `setup` once at start-up with the plugin's validated options, and the plugin registers
 * its capabilities there. Every capability output is validated by the host against the schemas
 * below; a capability that throws, times out or returns invalid output fails only the item it
 * was working on, and the failure is recorded with the plugin's name.
 */
export * from "./contracts.ts";
export * from "./define-plugin.ts";
export * from "./schemas.ts";
