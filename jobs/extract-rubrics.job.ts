import { z } from "zod";
import { extractRubrics } from "../src/services/extraction.service.ts";
import { requireLlm } from "../src/services/llm-job-support.ts";
import { llmExtractionOptions } from "./llm-label.job.ts";
import { defineJob } from "./types.ts";

export const extractPayload = z.object({
  dataset: z.string().min(1),
  grouping: z.string().min(1),
  /** Groups to compare; the grouping's declared groups when omitted. */
  groups: z.array(z.string().min(1)).optional(),
  method: z.enum(["STATISTICAL", "LLM"]).default("STATISTICAL"),
  options: z
    .object({
      permutations: z.number().int().min(1).optional(),
      seed: z.union([z.number().int(), z.string()]).optional(),
      alpha: z.number().gt(0).lt(1).optional(),
      threshold: z.number().min(0).max(5).optional(),
      minSupport: z.number().int().min(1).optional(),
      shuffleSeed: z.union([z.number().int(), z.string()]).optional(),
      /** LLM method only: minibatch size, pairing, pair cap and token budget. */
      ...llmExtractionOptions,
      budgetTokens: z.number().int().min(1).optional(),
    })
    .default({}),
});

export const extractRubricsJob = defineJob({
  kind: "extract-rubrics",
  payload: extractPayload,
  attempts: 2,
  backoffMs: 1000,
  checkEnqueue(payload, services) {
    if (payload.method === "LLM") requireLlm(services, "LLM rubric extraction");
  },
  process: (context, payload) => extractRubrics(context, payload),
});
