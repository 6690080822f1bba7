import type { Migration } from "kysely";
import * as foundation from "./20261204_0001_foundation.ts";
import * as labels from "./20261204_0002_labels.ts";
import * as rubrics from "./20261204_0003_rubrics.ts";
import * as llm from "./20261204_0004_llm.ts";
import * as explanations from "./20261204_0005_explanations.ts";
import * as tailoredResponses from "./20261204_0006_tailored_responses.ts";

/** Every migration by name, in order. Forward-only: add a file, never edit a landed one. */
export const migrations: Record<string, Migration> = {
  "20261204_0001_foundation": foundation,
  "20261204_0002_labels": labels,
  "20261204_0003_rubrics": rubrics,
  "20261204_0004_llm": llm,
  "20261204_0005_explanations": explanations,
  "20261204_0006_tailored_responses": tailoredResponses,
};
