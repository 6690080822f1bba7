/**
 * The LLM layer: the one path every LLM call takes.
 *
 * Use from a job processor, with one shared `LlmClient` per provider:
 *
 * ```ts
 * const llm = client.withScope({ signal: context.signal, budget: { maxTokens: 2_000_000 } });
 * const run = await runItems(conversations, (conversation) => reviewConversation(llm, conversation),
 *   (done, total) => context.progress({ stage: "review", done, total }));
 * await jobStore.addUsage(context.jobId, llm.usage.toJobUsage());
 * ```
 *
 * `run.done` lists the finished items to store and `run.budget` is set when the budget stopped
 * the run. A retried job repeats no provider call that finished, because responses are cached.
 */
export * from "./generate-structured.ts";
export * from "./json-output.ts";
export * from "./labelling-tasks.ts";
export * from "./llm-access.ts";
export * from "./llm-client.ts";
export * from "./llm-errors.ts";
export * from "./llm-settings.ts";
export * from "./minibatch-plan.ts";
export * from "./pipeline/llm-pipeline.ts";
export * from "./pipeline/rubric-chains.ts";
export * from "./priority-pool.ts";
export * from "./prompt-versions.ts";
export * from "./response-cache.ts";
export * from "./retry-policy.ts";
export * from "./rubric-chain.ts";
export * from "./rubric-extraction.ts";
export * from "./run-items.ts";
export * from "./usage-meter.ts";
export * from "./workload-estimate.ts";
