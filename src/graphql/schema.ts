import { lexicographicSortSchema } from "graphql";
import { builder } from "./builder.ts";
import "./job.ts";
import "./dataset.ts";
import "./conversation.ts";
import "./labels.ts";
import "./grouping.ts";
import "./rubric.ts";
import "./llm-labelling.ts";
import "./tailoring-plan.ts";
import "./tailored-response.ts";

/** The GraphQL schema; `schema/schema.graphql` is printed from it. */
export const schema = lexicographicSortSchema(builder.toSchema());
