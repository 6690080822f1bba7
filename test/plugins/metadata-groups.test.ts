import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMetadataClassifier } from "../../plugins/metadata-groups/index.ts";
import type { PluginConversation } from "../../src/plugin-api/index.ts";
import type { PluginHost } from "../../src/plugin-host/plugin-host.ts";
import { loadHost } from "../plugin-host/host-support.ts";
import { realData } from "../support/test-app.ts";

const REGIONS = {
  field: "country",
  table: { "United States": "US", China: "China", India: "India" },
  defaultGroup: "other",
};
const signal = new AbortController().signal;

function withMetadata(metadata: Record<string, unknown>): PluginConversation {
  return { id: "m", messages: [{ role: "user", content: "hi" }], metadata };
}

let host: PluginHost;
beforeAll(async () => {
  host = await loadHost(null, { timeoutMs: 5000 });
});
afterAll(() => host.close());

describe("metadata group classifier", () => {
  it("groups WildChat countries into regions", async () => {
    const classifier = host.createGroupClassifier("metadata", REGIONS);
    expect(classifier.groups).toEqual(["US", "China", "India", "other"]);
    const rows = readFileSync(realData("wildchat/wildchat_1m_schema.jsonl"), "utf8")
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as { conversation_hash: string; country: string | null });
    const counts: Record<string, number> = {};
    for (const row of rows) {
      const result = await classifier.classify({
        id: row.conversation_hash,
        messages: [],
        metadata: { country: row.country },
      });
      if (!result.ok) throw result.error;
      counts[result.value.group] = (counts[result.value.group] ?? 0) + 1;
    }
    expect(rows).toHaveLength(150);
    expect(counts).toEqual({ US: 39, China: 8, India: 6, other: 97 });
  });

  it("matches case-insensitively by default", () => {
    const classifier = createMetadataClassifier({ ...REGIONS, caseInsensitive: true });
    const result = classifier.classify(withMetadata({ country: "  united STATES " }), { signal });
    expect(result).toMatchObject({ group: "US", confidence: 1 });
  });

  it("matches exactly when asked", () => {
    const classifier = createMetadataClassifier({ ...REGIONS, caseInsensitive: false });
    const result = classifier.classify(withMetadata({ country: "china" }), { signal });
    expect(result).toMatchObject({ group: "other" });
  });

  it("returns unknown without the field", () => {
    const classifier = createMetadataClassifier({ ...REGIONS, caseInsensitive: true });
    for (const metadata of [{}, { country: null }, { country: "" }, { country: ["US"] }]) {
      const result = classifier.classify(withMetadata(metadata), { signal });
      expect(result).toMatchObject({ group: "unknown", rationale: "metadata.country is missing" });
    }
  });

  it("returns unknown without a default", () => {
    const classifier = createMetadataClassifier({
      ...REGIONS,
      defaultGroup: null,
      caseInsensitive: true,
    });
    expect(classifier.groups).toEqual(["US", "China", "India"]);
    const result = classifier.classify(withMetadata({ country: "Russia" }), { signal });
    expect(result).toMatchObject({ group: "unknown" });
    expect((result as { rationale: string }).rationale).toContain('"Russia" is not in the table');
  });

  it("reads nested and numeric fields", () => {
    const classifier = createMetadataClassifier({
      field: "account.tier",
      table: { "1": "free", "2": "paid" },
      defaultGroup: null,
      caseInsensitive: true,
    });
    const result = classifier.classify(withMetadata({ account: { tier: 2 } }), { signal });
    expect(result).toMatchObject({ group: "paid" });
  });

  it("rejects conflicting table entries", () => {
    expect(() =>
      host.createGroupClassifier("metadata", {
        field: "country",
        table: { China: "China", CHINA: "Asia" },
      }),
    ).toThrow('an equal value (ignoring case) already maps to "China"');
  });

  it("rejects unknown options", () => {
    expect(() => host.createGroupClassifier("metadata", { ...REGIONS, fallback: "other" })).toThrow(
      /Invalid options.*fallback/,
    );
  });
});
