import {
  type ExplanationItem,
  type PromptConversation,
  ratableTurns,
  type Taxonomy,
} from "../../prompts/index.ts";
import {
  type ClassificationResult,
  type ConversationLabels,
  classifyInBatches,
  explanationItems,
  reviewConversation,
} from "../labelling-tasks.ts";
import { BudgetExceededError } from "../llm-errors.ts";
import type { MinibatchPlanOptions } from "../minibatch-plan.ts";
import { PriorityPool, TaskDroppedError } from "../priority-pool.ts";
import type { Generator } from "../rubric-chain.ts";
import { type ChainSpec, type FinishedChain, RubricChains } from "./rubric-chains.ts";

/** A successful classification. */
export type Classification = Extract<ClassificationResult, { ok: true }>;

/** One comparison to extract per intent: which groups form each side. */
export interface PipelineComparison<Meta> {
  meta: Meta;
  /** Side names as the prompt shows them. */
  names: readonly [string, string];
  sideA: readonly string[];
  sideB: readonly string[];
}

export interface PipelineExtraction<Meta> extends MinibatchPlanOptions {
  threshold: number;
  comparisons: readonly PipelineComparison<Meta>[];
  /** The group of a classified conversation; undefined leaves the conversation out. */
  groupOf(classification: Classification): string | undefined;
}

export interface LlmPipelineInput<Meta> {
  /** The conversations, in the order their explanations are cut into minibatches. */
  conversations: readonly PromptConversation[];
  taxonomy: Taxonomy;
  clients: { classification: Generator; judgment: Generator; extraction: Generator };
  /** Tasks in flight at once; give the clients' concurrency. */
  slots: number;
  classify: boolean;
  review: boolean;
  /** Conversations per classification call. @default 8 */
  batchSize?: number;
  /** Rubric extraction per intent and comparison; needs `classify` and `review`. */
  extraction?: PipelineExtraction<Meta> | undefined;
  /**
   * `true` starts each extraction chain while the reviews run; `false` waits for every
   * labelling call first (the staged order, kept for comparison). @default true
   */
  overlap?: boolean;
}

/** Called as results arrive; each may run while others are in flight. A throw stops the run. */
export interface LlmPipelineHooks<Meta> {
  classified?(results: ClassificationResult[]): Promise<void>;
  reviewed?(labels: ConversationLabels): Promise<void>;
  rubric?(rubric: FinishedChain<Meta>): Promise<void>;
  progress?(stage: "label" | "extract", done: number, total: number): Promise<void>;
}

export interface LlmPipelineResult {
  classified: number;
  reviewed: number;
  rubrics: number;
  /** Set when the budget stopped the run; everything finished before it was delivered. */
  stoppedByBudget: BudgetExceededError | undefined;
}

/** Classification batches unblock everything else, so they go first. */
const CLASSIFICATION_PRIORITY = Number.MAX_SAFE_INTEGER;

/**
 * Runs the LLM labelling pipeline and, optionally, the rubric extraction in one schedule.
 * Batched classification goes first. Then each conversation gets one review, ranked by the
 * extraction chains it feeds, and each chain's minibatch pairs run as soon as their
 * explanations are final (see `RubricChains`). Every call goes through one `PriorityPool`, so
 * the provider sees at most `slots` calls and the critical path (the longest chain) goes first.
 *
 * A spent budget stops the run cleanly: queued work is dropped, calls in flight finish and are
 * delivered, and the result says so. Any other error stops it the same way and is thrown once
 * everything in flight has settled, so finished calls are delivered (and cached) for a retry.
 */
export async function runLlmPipeline<Meta>(
  input: LlmPipelineInput<Meta>,
  hooks: LlmPipelineHooks<Meta> = {},
): Promise<LlmPipelineResult> {
  const pool = new PriorityPool(input.slots);
  const pending = new Set<Promise<unknown>>();
  const result: LlmPipelineResult = {
    classified: 0,
    reviewed: 0,
    rubrics: 0,
    stoppedByBudget: undefined,
  };
  let failure: { error: unknown } | undefined;
  let chains: RubricChains<Meta> | undefined;
  const stop = (error: unknown) => {
    if (error instanceof TaskDroppedError) return;
    if (error instanceof BudgetExceededError) result.stoppedByBudget ??= error;
    else failure ??= { error };
    pool.stop(error);
    chains?.stop();
  };
  const track = (work: Promise<unknown>) => {
    const settled = work.catch(stop).finally(() => pending.delete(settled));
    pending.add(settled);
  };

  const { conversations, extraction } = input;
  const overlap = input.overlap ?? true;
  const batchSize = input.batchSize ?? 8;
  const classifications = new Map<string, Classification>();
  const delivered = new Map<number, ExplanationItem[]>();

  const labelTotal =
    (input.classify ? Math.ceil(conversations.length / batchSize) : 0) +
    (input.review ? conversations.length : 0);
  let labelDone = 0;
  const labelled = async () => {
    labelDone += 1;
    await hooks.progress?.("label", labelDone, labelTotal);
  };

  const startExtraction = () => {
    if (!extraction || failure || result.stoppedByBudget) return;
    chains = new RubricChains<Meta>(input.clients.extraction, pool, extraction, {
      track,
      finished: async (finished) => {
        result.rubrics += 1;
        await hooks.rubric?.(finished);
      },
      stepped: async () => {
        const { done, total } = chains!.progress();
        await hooks.progress?.("extract", done, total);
      },
    });
    for (const spec of chainSpecs(conversations, classifications, extraction)) chains.add(spec);
    for (const [key, items] of delivered) chains.deliver(key, items);
  };

  let classifying = 0;
  if (input.classify) {
    for (let start = 0; start < conversations.length; start += batchSize) {
      const batch = conversations.slice(start, start + batchSize);
      classifying += 1;
      const work = pool
        .run(CLASSIFICATION_PRIORITY, () =>
          classifyInBatches(input.clients.classification, batch, input.taxonomy, batchSize),
        )
        .then(async (results) => {
          for (const entry of results)
            if (entry.ok) classifications.set(entry.conversationId, entry);
          result.classified += results.filter((entry) => entry.ok).length;
          await hooks.classified?.(results);
          await labelled();
        })
        .finally(() => {
          classifying -= 1;
          if (classifying === 0 && overlap && input.review) startExtraction();
        });
      track(work);
    }
  }

  if (input.review) {
    conversations.forEach((conversation, index) => {
      const review = () => reviewConversation(input.clients.judgment, conversation);
      // A conversation with nothing to judge makes no call, so it needs no slot.
      const labels =
        ratableTurns(conversation).length === 0
          ? review()
          : pool.run(() => chains?.priorityOf(index) ?? 0, review);
      track(
        labels.then(async (outcome) => {
          if (outcome.ok) result.reviewed += 1;
          await hooks.reviewed?.(outcome);
          const items = explanationItems(outcome);
          delivered.set(index, items);
          chains?.deliver(index, items);
          await labelled();
        }),
      );
    });
  }

  await settle(pending);
  if (!overlap && input.classify && input.review) {
    startExtraction();
    await settle(pending);
  }
  if (failure) throw failure.error;
  return result;
}

/** Waits until no tracked work is left, including work that settling work added. */
async function settle(pending: Set<Promise<unknown>>): Promise<void> {
  while (pending.size > 0) await Promise.allSettled([...pending]);
}

/** Builds one chain per intent and comparison with members on at least one side. */
function chainSpecs<Meta>(
  conversations: readonly PromptConversation[],
  classifications: ReadonlyMap<string, Classification>,
  extraction: PipelineExtraction<Meta>,
): ChainSpec<Meta>[] {
  const byIntent = new Map<
    string,
    {
      intent: { domain: string; task: string };
      members: { key: number; group: string; capacity: number }[];
    }
  >();
  conversations.forEach((conversation, key) => {
    const classification = classifications.get(conversation.id);
    if (!classification) return;
    const group = extraction.groupOf(classification);
    if (group === undefined) return;
    const { domain, task } = classification.intent;
    const entry = byIntent.get(`${domain}/${task}`) ?? { intent: { domain, task }, members: [] };
    entry.members.push({ key, group, capacity: ratableTurns(conversation).length });
    byIntent.set(`${domain}/${task}`, entry);
  });
  const specs: ChainSpec<Meta>[] = [];
  for (const intentKey of [...byIntent.keys()].sort()) {
    const { intent, members } = byIntent.get(intentKey)!;
    for (const comparison of extraction.comparisons) {
      const side = (groups: readonly string[]) =>
        members
          .filter((member) => groups.includes(member.group))
          .map(({ key, capacity }) => ({ key, capacity }));
      const sides = [side(comparison.sideA), side(comparison.sideB)] as const;
      if (sides[0].length + sides[1].length === 0) continue;
      specs.push({ meta: comparison.meta, intent, names: comparison.names, sides });
    }
  }
  return specs;
}
