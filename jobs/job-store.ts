import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Db } from "../src/db/database.ts";
import type { JobRow, JobStatus } from "../src/db/tables.ts";
import type { JobProgress } from "./types.ts";

export const TERMINAL_STATUSES: ReadonlySet<JobStatus> = new Set([
  "completed",
  "failed",
  "cancelled",
]);

export interface JobError {
  code: string;
  message: string;
  retryable: boolean;
}

/** The jobs table: the one source of truth for status, progress, result and error. */
export class JobStore {
  constructor(private readonly db: Db) {}

  async create(kind: string, payload: unknown): Promise<JobRow> {
    return this.db
      .insertInto("jobs")
      .values({ id: randomUUID(), kind, status: "queued", payload: JSON.stringify(payload) })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  find(id: string): Promise<JobRow | undefined> {
    return this.db.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirst();
  }

  /** Marks the job running for a new attempt; returns undefined when it already ended. */
  async start(id: string): Promise<JobRow | undefined> {
    return this.db
      .updateTable("jobs")
      .set({
        status: "running",
        attempts: sql`attempts + 1`,
        started_at: sql`coalesce(started_at, now())`,
        updated_at: sql`now()`,
      })
      .where("id", "=", id)
      .where("status", "in", ["queued", "running"])
      .returningAll()
      .executeTakeFirst();
  }

  async setProgress(id: string, progress: JobProgress): Promise<JobRow | undefined> {
    return this.db
      .updateTable("jobs")
      .set({ progress: JSON.stringify(progress), updated_at: sql`now()` })
      .where("id", "=", id)
      .where("status", "=", "running")
      .returningAll()
      .executeTakeFirst();
  }

  async addUsage(id: string, usage: Record<string, number>): Promise<void> {
    await this.db
      .updateTable("jobs")
      .set({ usage: JSON.stringify(usage), updated_at: sql`now()` })
      .where("id", "=", id)
      .execute();
  }

  /** Ends the job; a job that already ended keeps its first terminal state. */
  async finish(
    id: string,
    status: "completed" | "failed" | "cancelled",
    fields: { result?: unknown; error?: JobError },
  ): Promise<JobRow | undefined> {
    return this.db
      .updateTable("jobs")
      .set({
        status,
        result: fields.result === undefined ? null : JSON.stringify(fields.result),
        error: fields.error ? JSON.stringify(fields.error) : null,
        finished_at: sql`now()`,
        updated_at: sql`now()`,
      })
      .where("id", "=", id)
      .where("status", "in", ["queued", "running"])
      .returningAll()
      .executeTakeFirst();
  }

  /** Puts a running job back in the queue after a retryable failure. */
  async requeue(id: string, error: JobError): Promise<JobRow | undefined> {
    return this.db
      .updateTable("jobs")
      .set({ status: "queued", error: JSON.stringify(error), updated_at: sql`now()` })
      .where("id", "=", id)
      .where("status", "=", "running")
      .returningAll()
      .executeTakeFirst();
  }

  async requestCancel(id: string): Promise<JobRow | undefined> {
    return this.db
      .updateTable("jobs")
      .set({ cancel_requested: true, updated_at: sql`now()` })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirst();
  }
}
