/** The LLM layer: the one path every LLM call takes. */
export * from "./generate-structured.ts";
export * from "./json-output.ts";
export * from "./labelling-tasks.ts";
export * from "./llm-client.ts";
export * from "./llm-errors.ts";
export * from "./response-cache.ts";
export * from "./retry-policy.ts";
export * from "./rubric-extraction.ts";
export * from "./run-items.ts";
export * from "./usage-meter.ts";
export * from "./workload-estimate.ts";
