/** Every capability contract of plugin API v1, one module per kind. */
export * from "./aspect-detector.ts";
export * from "./conversation.ts";
export * from "./group-classifier.ts";
export * from "./intent-classifier.ts";
export * from "./llm-provider.ts";
export * from "./satisfaction-judge.ts";
export * from "./trainer.ts";
