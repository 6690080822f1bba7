import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pino } from "pino";
import type { PluginConversation } from "../../src/plugin-api/index.ts";
import {
  PluginHost,
  type PluginHostOptions,
  type PluginResult,
} from "../../src/plugin-host/plugin-host.ts";
import { testConfig } from "../support/test-app.ts";

/** Absolute path of a fixture plugin module. */
export function fixture(name: string): string {
  return path.resolve(import.meta.dirname, "fixtures", name);
}

/** Writes a tailor.config.json into a fresh temporary folder and returns its path. */
export async function writeConfig(content: unknown): Promise<string> {
  const folder = await mkdtemp(path.join(os.tmpdir(), "tailor-plugins-"));
  const file = path.join(folder, "tailor.config.json");
  await writeFile(file, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return file;
}

/** Loads a host from a config file (or none: built-ins only) with a short plugin timeout. */
export async function loadHost(
  configFile: string | null,
  options: PluginHostOptions & { timeoutMs?: number } = {},
): Promise<PluginHost> {
  const config = testConfig({
    ...(configFile ? { TAILOR_CONFIG: configFile } : {}),
    TAILOR_PLUGIN_TIMEOUT_MS: String(options.timeoutMs ?? 100),
  });
  return PluginHost.load(config, pino({ level: "silent" }), options);
}

/** Builds a two-turn conversation whose first user message is `text`. */
export function conversation(text: string, id = "c1"): PluginConversation {
  return {
    id,
    messages: [
      { role: "user", content: text },
      { role: "assistant", content: "Here you go." },
      { role: "user", content: "thanks" },
      { role: "assistant", content: "You're welcome." },
    ],
    metadata: {},
  };
}

/** Returns the value of a successful result, or throws the plugin's error. */
export function okValue<T>(result: PluginResult<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}
