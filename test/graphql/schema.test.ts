import { readFile } from "node:fs/promises";
import { printSchema } from "graphql";
import { expect, it } from "vitest";
import { schema } from "../../src/graphql/schema.ts";

it("committed schema matches the builder", async () => {
  const committed = await readFile(new URL("../../schema/schema.graphql", import.meta.url), "utf8");
  // Run `npm run codegen` to refresh schema/schema.graphql and the typed documents.
  expect(committed).toBe(`${printSchema(schema)}\n`);
});
