/** The LLM prompts: each module builds its messages and the zod schema of its reply. */
export * from "./batch-classification.prompt.ts";
export * from "./conversation-block.ts";
export * from "./conversation-review.prompt.ts";
export * from "./expertise-classifier.prompt.ts";
export * from "./intent-classifier.prompt.ts";
export * from "./intent-normalizer.ts";
export * from "./output-schemas.ts";
export * from "./persona-baseline.prompt.ts";
export * from "./preference-explanation.prompt.ts";
export * from "./prompt-spec.ts";
export * from "./rubric-aspects.prompt.ts";
export * from "./satisfaction-judge.prompt.ts";
export * from "./static-criteria-baseline.prompt.ts";
