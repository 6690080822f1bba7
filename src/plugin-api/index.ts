/**
 * Tailor plugin API, version 1: the only module a plugin imports.
 *
 * A plugin default-exports `definePlugin({ name, version, apiVersion: 1, setup })`. The host
 * calls `setup` once at start-up with the plugin's validated options, and the plugin registers
 * its capabilities there. The host checks every capability output against the schemas and
 * checks in this module. A capability that throws, times out or returns invalid output fails
 * only the item it was working on, and the failure is recorded with the plugin's name.
 *
 * `z` is zod, re-exported so that a plugin's option schemas use the same zod as the host.
 * The contract test kit lives in `./testing.ts`, outside this entry point, so that production
 * code does not load it.
 */
export { z } from "zod";
export * from "./contracts.ts";
export * from "./define-plugin.ts";
export * from "./schemas.ts";
export * from "./text.ts";
export * from "./validation.ts";
