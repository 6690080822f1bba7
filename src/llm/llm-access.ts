import type { LlmClient } from "./llm-client.ts";
import type { LlmTask } from "./llm-settings.ts";
import { type LlmBudget, type PriceTable, UsageMeter } from "./usage-meter.ts";

/** Provider, model and concurrency of one task, for messages and stored labels. */
export interface TaskEndpoint {
  task: LlmTask;
  provider: string;
  model: string;
  concurrency: number;
}

/**
 * The LLM access of a process: one shared client per task (clients of tasks on the same
 * provider share its concurrency limit and the response cache), built once by the composition
 * root. Absent (undefined on `App` and `JobServices`) when no provider is configured.
 */
export class LlmAccess {
  constructor(
    private readonly clients: Readonly<Record<LlmTask, LlmClient>>,
    private readonly concurrency: Readonly<Record<LlmTask, number>>,
    private readonly prices: PriceTable,
    /** Token budget of a job that sets none; unlimited when undefined. */
    readonly defaultBudgetTokens: number | undefined,
  ) {}

  /** Lists the endpoint each task uses. */
  endpoints(): TaskEndpoint[] {
    return (Object.keys(this.clients) as LlmTask[]).map((task) => ({
      task,
      provider: this.clients[task].providerId,
      model: this.clients[task].model,
      concurrency: this.concurrency[task],
    }));
  }

  /** The price table, for dry-run cost estimates. */
  get priceTable(): PriceTable {
    return this.prices;
  }

  /**
   * Gives one job its view: every task's client scoped to the job's signal, one usage meter
   * across tasks and one budget over all of them.
   */
  forJob(scope: { signal?: AbortSignal; budget?: LlmBudget | undefined }): JobLlm {
    return new JobLlm(this, scope, new UsageMeter(this.prices));
  }

  /** Returns the shared client of a task. Jobs use `forJob` instead. */
  client(task: LlmTask): LlmClient {
    return this.clients[task];
  }

  concurrencyOf(task: LlmTask): number {
    return this.concurrency[task];
  }
}

/** One job's LLM clients, sharing its usage meter and budget. */
export class JobLlm {
  private readonly scoped = new Map<LlmTask, LlmClient>();

  constructor(
    private readonly access: LlmAccess,
    private readonly scope: { signal?: AbortSignal; budget?: LlmBudget | undefined },
    readonly usage: UsageMeter,
  ) {}

  client(task: LlmTask): LlmClient {
    let client = this.scoped.get(task);
    if (!client) {
      client = this.access.client(task).withScope({
        ...(this.scope.signal ? { signal: this.scope.signal } : {}),
        ...(this.scope.budget ? { budget: this.scope.budget } : {}),
        usage: this.usage,
      });
      this.scoped.set(task, client);
    }
    return client;
  }

  /** Label source for stored labels: `llm:<model>` of the task. */
  plugin(task: LlmTask): string {
    return `llm:${this.access.client(task).model}`;
  }

  /**
   * Tasks in flight at once for a schedule over `tasks`: the sum of their distinct providers'
   * limits, so each provider can be kept busy while its own client limit still applies.
   */
  slots(tasks: readonly LlmTask[]): number {
    const byProvider = new Map<string, number>();
    for (const task of tasks)
      byProvider.set(this.access.client(task).providerId, this.access.concurrencyOf(task));
    return [...byProvider.values()].reduce((sum, value) => sum + value, 0);
  }
}
