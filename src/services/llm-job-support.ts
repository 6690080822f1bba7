import type { JobServices } from "../../jobs/types.ts";
import type { Db } from "../db/database.ts";
import { UnavailableError } from "../errors.ts";
import type { BudgetExceededError, LlmAccess, UsageMeter } from "../llm/index.ts";

/** Instructions to configure a provider, for every error about a missing one. */
export const CONFIGURE_LLM_HINT =
  'Set TAILOR_LLM_BASE_URL and TAILOR_LLM_MODEL (an OpenAI-compatible endpoint), or list a provider plugin in tailor.config.json, e.g. {"module": "builtin:openai-provider", "options": {"baseUrl": "http://127.0.0.1:8000/v1", "model": "MODEL"}}.';

/** Returns the LLM access, or throws `UnavailableError` naming the job and the fix. */
export function requireLlm(services: JobServices, what: string): LlmAccess {
  if (services.llm) return services.llm;
  throw new UnavailableError(
    `No LLM provider is configured, so ${what} cannot run. ${CONFIGURE_LLM_HINT}`,
  );
}

/** Builds the `stoppedByBudget` entry of a job result. */
export function stoppedByBudget(error: BudgetExceededError | undefined) {
  return error
    ? { limit: error.limit, maximum: error.maximum, used: error.used, message: error.message }
    : null;
}

/** Smallest gap between two usage writes while a job runs. */
const SAVE_INTERVAL_MS = 500;

/**
 * Writes a job's LLM usage to `jobs.usage` while it runs and when it ends. Figures of earlier
 * attempts (a retried or restarted job) are added, so the column shows the job's total cost,
 * not only that of the attempt that finished.
 */
export class JobUsageRecorder {
  private lastSave = 0;

  private constructor(
    private readonly db: Db,
    private readonly jobId: string,
    private readonly meter: UsageMeter,
    private readonly earlier: Record<string, number>,
  ) {}

  static async start(db: Db, jobId: string, meter: UsageMeter): Promise<JobUsageRecorder> {
    const row = await db
      .selectFrom("jobs")
      .select("usage")
      .where("id", "=", jobId)
      .executeTakeFirst();
    const earlier: Record<string, number> = {};
    for (const [key, value] of Object.entries(row?.usage ?? {}))
      if (typeof value === "number") earlier[key] = value;
    return new JobUsageRecorder(db, jobId, meter, earlier);
  }

  /** Saves when the last save is older than a few seconds. */
  async maybeSave(): Promise<void> {
    if (Date.now() - this.lastSave >= SAVE_INTERVAL_MS) await this.save();
  }

  async save(): Promise<void> {
    this.lastSave = Date.now();
    const total = { ...this.earlier };
    for (const [key, value] of Object.entries(this.meter.toJobUsage()))
      total[key] = (total[key] ?? 0) + value;
    // An earlier attempt's cost cannot be kept when this attempt's cost is unknown.
    if (!("costUsd" in this.meter.toJobUsage())) delete total.costUsd;
    await this.db
      .updateTable("jobs")
      .set({ usage: JSON.stringify(total) })
      .where("id", "=", this.jobId)
      .execute();
  }
}
