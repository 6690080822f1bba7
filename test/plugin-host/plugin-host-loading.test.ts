import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BUILTIN_PLUGINS } from "../../plugins/builtin.ts";
import { type PluginHost, PluginLoadError } from "../../src/plugin-host/plugin-host.ts";
import { lifecycleEvents } from "./fixtures/lifecycle.plugin.ts";
import { fixture, loadHost, writeConfig } from "./host-support.ts";

let host: PluginHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
  lifecycleEvents.length = 0;
});

/** Loads and expects a PluginLoadError; returns it. */
async function loadError(config: unknown): Promise<PluginLoadError> {
  const error = await loadHost(await writeConfig(config)).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(PluginLoadError);
  return error as PluginLoadError;
}

describe("plugin host loading", () => {
  it("loads built-ins without config", async () => {
    host = await loadHost(path.join(path.dirname(await writeConfig({})), "absent.json"));
    const plugins = host.list();
    expect(plugins.map((plugin) => plugin.module)).toEqual(
      BUILTIN_PLUGINS.map((builtin) => `builtin:${builtin.name}`),
    );
    expect(plugins.every((plugin) => plugin.builtin)).toBe(true);
    const byName = new Map(plugins.map((plugin) => [plugin.name, plugin]));
    expect(byName.get("metadata-groups")?.capabilities).toEqual({ groupClassifier: ["metadata"] });
    expect(byName.get("lexical-judge")?.kinds).toEqual(["satisfactionJudge"]);
    expect(host.groupClassifierFactories().map((factory) => factory.id)).toEqual([
      "metadata",
      "heuristic-expertise",
      "llm-expertise",
    ]);
    expect(host.intentClassifier().id).toBe("keyword-intent");
    expect(host.satisfactionJudge().id).toBe("lexical-judge");
    expect(host.aspectDetectors().length).toBeGreaterThan(0);
  });

  it("resolves paths from the config folder", async () => {
    const configFile = await writeConfig({ plugins: [{ module: "./local.plugin.mjs" }] });
    await writeFile(
      path.join(path.dirname(configFile), "local.plugin.mjs"),
      `export default { name: "local", version: "1.0.0", apiVersion: 1,
         setup(context) { context.registerTrainer({ id: "local-trainer", description: "Test.",
           submit: async () => ({ state: "pending" }), status: async () => ({ state: "pending" }),
           stop: async () => ({ state: "stopped" }) }); } };`,
    );
    host = await loadHost(configFile, { builtins: [] });
    expect(host.list()).toMatchObject([
      { name: "local", module: "./local.plugin.mjs", builtin: false, kinds: ["trainer"] },
    ]);
    expect(host.trainer().id).toBe("local-trainer");
  });

  it("rejects a missing module", async () => {
    const error = await loadError({ plugins: [{ module: "./nowhere/plugin.ts" }] });
    expect(error.message).toContain('Plugin module "./nowhere/plugin.ts"');
    expect(error.message).toContain("was not found");
  });

  it("rejects a missing package", async () => {
    const error = await loadError({ plugins: [{ module: "tailor-plugin-that-does-not-exist" }] });
    expect(error.message).toContain('"tailor-plugin-that-does-not-exist"');
    expect(error.message).toContain("not found");
  });

  it("rejects a wrong API version", async () => {
    const error = await loadError({
      plugins: [{ module: fixture("wrong-api-version.plugin.ts") }],
    });
    expect(error.plugin).toBe("from-the-future");
    expect(error.message).toContain("plugin API version 2");
    expect(error.message).toContain("implements version 1");
  });

  it("rejects a duplicate capability id", async () => {
    const error = await loadError({ plugins: [{ module: fixture("clashing-id.plugin.ts") }] });
    expect(error.plugin).toBe("clashing-id");
    expect(error.message).toContain('groupClassifier "metadata"');
    expect(error.message).toContain('plugin "metadata-groups" already registered');
  });

  it("rejects a duplicate plugin name", async () => {
    const module = fixture("lifecycle.plugin.ts");
    const error = await loadError({ plugins: [{ module }, { module }] });
    expect(error.message).toContain('Two plugins are named "lifecycle"');
    expect(lifecycleEvents).toEqual(["setup", "close"]);
  });

  it("rejects invalid plugin options", async () => {
    const error = await loadError({
      plugins: [{ module: fixture("lifecycle.plugin.ts"), options: { apiKey: 42 } }],
    });
    expect(error.plugin).toBe("lifecycle");
    expect(error.message).toContain('Invalid options for plugin "lifecycle"');
    expect(error.message).toContain("apiKey");
  });

  it("rejects options of a schemaless plugin", async () => {
    const error = await loadError({
      plugins: [{ module: "builtin:metadata-groups", options: { field: "country" } }],
    });
    expect(error.message).toContain('Plugin "metadata-groups"');
    expect(error.message).toContain('takes no options, but the config gives "field"');
  });

  it("rejects invalid built-in options", async () => {
    const error = await loadError({
      plugins: [{ module: "builtin:keyword-intent", options: { taxonomy: [] } }],
    });
    expect(error.plugin).toBe("keyword-intent");
    expect(error.message).toContain("taxonomy");
  });

  it("rejects an unknown built-in", async () => {
    const error = await loadError({ plugins: [{ module: "builtin:telepathy" }] });
    expect(error.message).toContain('no built-in plugin "telepathy"');
  });

  it("closes plugins when setup fails", async () => {
    const error = await loadError({
      plugins: [{ module: fixture("lifecycle.plugin.ts"), options: { failSetup: true } }],
    });
    expect(error.message).toContain('Plugin "lifecycle"');
    expect(error.message).toContain("failed in setup: cannot reach the endpoint");
    expect(lifecycleEvents).toEqual(["setup", "close"]);
  });

  it("rejects invalid JSON", async () => {
    const configFile = await writeConfig("{ plugins: [");
    const error = await loadHost(configFile).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PluginLoadError);
    expect((error as Error).message).toContain(`${configFile} is not valid JSON`);
  });

  it("rejects a misspelt entry key", async () => {
    const error = await loadError({ plugins: [{ modul: "./x.ts" }] });
    expect(error.message).toContain("plugins.0");
  });

  it("rejects an unknown default", async () => {
    const error = await loadError({ defaults: { satisfactionJudge: "oracle" } });
    expect(error.message).toContain('defaults.satisfactionJudge to "oracle"');
    expect(error.message).toContain("Loaded: lexical-judge");
  });

  it("masks secret options", async () => {
    const options = {
      endpoint: "http://127.0.0.1:9/v1",
      apiKey: "sk-test",
      keywords: ["refund"],
      provider: { authToken: "t0k3n", apiTokens: ["a", "b"], maxRetries: 3 },
    };
    host = await loadHost(
      await writeConfig({ plugins: [{ module: fixture("lifecycle.plugin.ts"), options }] }),
      { builtins: [] },
    );
    expect(host.list()[0]?.options).toEqual({
      endpoint: "***",
      apiKey: "***",
      keywords: ["refund"],
      provider: { authToken: "***", apiTokens: "***", maxRetries: 3 },
    });
  });

  it("closes plugins once", async () => {
    host = await loadHost(
      await writeConfig({ plugins: [{ module: fixture("lifecycle.plugin.ts") }] }),
      { builtins: [] },
    );
    await host.close();
    await host.close();
    expect(lifecycleEvents).toEqual(["setup", "close"]);
  });
});
