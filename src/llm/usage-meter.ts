import type { ChatResponse } from "../plugin-api/index.ts";
import { BudgetExceededError } from "./llm-errors.ts";

/** Price of a model in USD per million tokens. */
export interface ModelPrice {
  inputPerMillion: number;
  outputPerMillion: number;
}

/** Prices by model name, as the provider spells the model. */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/** Spending limits for one job. Either limit stops further provider calls once reached. */
export interface LlmBudget {
  /** Prompt plus completion tokens. */
  maxTokens?: number;
  /** Cost in USD, from the price table; needs a price for every model the job calls. */
  maxCostUsd?: number;
}

/** Token use of one model. */
export interface ModelUsage {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  /** Null when the price table has no entry for the model. */
  costUsd: number | null;
}

/** Totals of a job's LLM calls so far. */
export interface UsageSummary {
  /** Calls sent to the provider that returned a response. */
  calls: number;
  /** Calls served from the response cache or by an identical call in flight, at no cost. */
  cachedCalls: number;
  /** Attempts that failed (errors, timeouts), whether retried or not. */
  failedAttempts: number;
  retries: number;
  /** Tokens the provider reported; calls without a report are left out and counted below. */
  promptTokens: number;
  completionTokens: number;
  /** Provider calls whose usage was not reported: their tokens are unknown, not 0. */
  unreportedUsageCalls: number;
  /** Characters / 4 for the calls without a usage report; used for the budget only. */
  estimatedUnreportedTokens: number;
  /** Null when a model that was called has no price. */
  costUsd: number | null;
  byModel: Record<string, ModelUsage>;
}

/**
 * Accumulates the token use and cost of the LLM calls of one job (or any unit of work). Read
 * it with `summary()`, and store it on the job with `JobStore.addUsage(id, meter.toJobUsage())`.
 */
export class UsageMeter {
  private readonly models = new Map<string, ModelUsage>();
  private cached = 0;
  private failed = 0;
  private retried = 0;
  private unreported = 0;
  private estimated = 0;

  constructor(private readonly prices: PriceTable = {}) {}

  /** Records one provider response. `estimatedTokens` replaces the usage when it is missing. */
  recordCall(model: string, usage: ChatResponse["usage"], estimatedTokens: number): void {
    const entry = this.models.get(model) ?? {
      calls: 0,
      promptTokens: 0,
      completionTokens: 0,
      costUsd: null,
    };
    entry.calls += 1;
    if (usage) {
      entry.promptTokens += usage.promptTokens;
      entry.completionTokens += usage.completionTokens;
    } else {
      this.unreported += 1;
      this.estimated += estimatedTokens;
    }
    entry.costUsd = costOf(this.prices[model], entry.promptTokens, entry.completionTokens);
    this.models.set(model, entry);
  }

  recordCached(): void {
    this.cached += 1;
  }

  recordFailedAttempt(): void {
    this.failed += 1;
  }

  recordRetry(): void {
    this.retried += 1;
  }

  summary(): UsageSummary {
    let calls = 0;
    let promptTokens = 0;
    let completionTokens = 0;
    let costUsd: number | null = 0;
    const byModel: Record<string, ModelUsage> = {};
    for (const [model, entry] of this.models) {
      byModel[model] = { ...entry };
      calls += entry.calls;
      promptTokens += entry.promptTokens;
      completionTokens += entry.completionTokens;
      costUsd = costUsd === null || entry.costUsd === null ? null : costUsd + entry.costUsd;
    }
    return {
      calls,
      cachedCalls: this.cached,
      failedAttempts: this.failed,
      retries: this.retried,
      promptTokens,
      completionTokens,
      unreportedUsageCalls: this.unreported,
      estimatedUnreportedTokens: this.estimated,
      costUsd,
      byModel,
    };
  }

  /** Returns the summary as flat numbers for the `jobs.usage` column, without an unknown cost. */
  toJobUsage(): Record<string, number> {
    const summary = this.summary();
    const usage: Record<string, number> = {
      calls: summary.calls,
      cachedCalls: summary.cachedCalls,
      failedAttempts: summary.failedAttempts,
      retries: summary.retries,
      promptTokens: summary.promptTokens,
      completionTokens: summary.completionTokens,
      unreportedUsageCalls: summary.unreportedUsageCalls,
    };
    if (summary.costUsd !== null) usage.costUsd = summary.costUsd;
    return usage;
  }

  /**
   * Throws `BudgetExceededError` when the budget would be passed by a call whose prompt is
   * about `upcomingPromptTokens` long. Tokens are the reported ones plus estimates for calls
   * without a report.
   * NOTE: calls in flight are not counted, so with concurrency C a job can overshoot by up to C
   * calls. Reserving each call's tokens up front would make the limit exact.
   */
  checkBudget(budget: LlmBudget | undefined, model: string, upcomingPromptTokens: number): void {
    if (!budget) return;
    const summary = this.summary();
    const tokens =
      summary.promptTokens + summary.completionTokens + summary.estimatedUnreportedTokens;
    if (budget.maxTokens !== undefined && tokens + upcomingPromptTokens > budget.maxTokens) {
      throw new BudgetExceededError("tokens", budget.maxTokens, tokens);
    }
    if (budget.maxCostUsd !== undefined) {
      const spent = summary.costUsd ?? 0;
      const upcoming = costOf(this.prices[model], upcomingPromptTokens, 0) ?? 0;
      if (spent + upcoming > budget.maxCostUsd)
        throw new BudgetExceededError("cost", budget.maxCostUsd, spent);
    }
  }

  hasPrice(model: string): boolean {
    return this.prices[model] !== undefined;
  }
}

/** Cost in USD of the given tokens; null without a price. */
export function costOf(
  price: ModelPrice | undefined,
  promptTokens: number,
  completionTokens: number,
): number | null {
  if (!price) return null;
  return (
    (promptTokens * price.inputPerMillion + completionTokens * price.outputPerMillion) / 1_000_000
  );
}
