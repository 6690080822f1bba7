// Prints the Pothos schema to schema/schema.graphql (committed; a test fails when it is stale).
import { writeFile } from "node:fs/promises";
import { printSchema } from "graphql";
import { schema } from "../src/graphql/schema.ts";

const target = new URL("../schema/schema.graphql", import.meta.url);
await writeFile(target, `${printSchema(schema)}\n`);
