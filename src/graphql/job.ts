import { type JobSnapshot, toSnapshot } from "../../jobs/progress-bus.ts";
import { watchJob } from "../../jobs/watch-job.ts";
import type { JobStatus } from "../db/tables.ts";
import { NotFoundError } from "../errors.ts";
import { builder } from "./builder.ts";
import { cursorConnection, decodeIdCursor, encodeCursor } from "./cursor.ts";

export const JobStatusEnum = builder.enumType("JobStatus", {
  values: {
    QUEUED: { value: "queued" },
    RUNNING: { value: "running" },
    COMPLETED: { value: "completed" },
    FAILED: { value: "failed" },
    CANCELLED: { value: "cancelled" },
  } as const,
});

const JobProgressRef = builder
  .objectRef<{ stage: string; done: number; total: number | null }>("JobProgress")
  .implement({
    description: "Where a job is: a named stage and how far through it.",
    fields: (t) => ({
      stage: t.exposeString("stage"),
      done: t.exposeFloat("done"),
      total: t.exposeFloat("total", {
        nullable: true,
        description: "Null while the total is unknown.",
      }),
    }),
  });

const JobErrorRef = builder
  .objectRef<{ code: string; message: string; retryable: boolean }>("JobError")
  .implement({
    fields: (t) => ({
      code: t.exposeString("code"),
      message: t.exposeString("message"),
      retryable: t.exposeBoolean("retryable"),
    }),
  });

export const JobRef = builder.objectRef<JobSnapshot>("Job");
JobRef.implement({
  description: "A background job: import, labelling, extraction. Its row is the source of truth.",
  fields: (t) => ({
    id: t.exposeID("id"),
    kind: t.exposeString("kind"),
    status: t.field({ type: JobStatusEnum, resolve: (job) => job.status }),
    progress: t.field({ type: JobProgressRef, nullable: true, resolve: (job) => job.progress }),
    result: t.field({ type: "JSON", nullable: true, resolve: (job) => job.result }),
    error: t.field({ type: JobErrorRef, nullable: true, resolve: (job) => job.error }),
    attempts: t.exposeInt("attempts"),
    cancelRequested: t.exposeBoolean("cancel_requested"),
    usage: t.field({
      type: "JSON",
      nullable: true,
      description:
        "LLM calls, tokens and cost spent by the job; null for jobs that make no LLM calls.",
      resolve: (job) => job.usage,
    }),
    createdAt: t.field({ type: "DateTime", resolve: (job) => job.createdAt }),
    startedAt: t.field({ type: "DateTime", nullable: true, resolve: (job) => job.startedAt }),
    finishedAt: t.field({ type: "DateTime", nullable: true, resolve: (job) => job.finishedAt }),
    updatedAt: t.field({ type: "DateTime", resolve: (job) => job.updatedAt }),
  }),
});

const jobView = toSnapshot;

builder.queryFields((t) => ({
  job: t.field({
    type: JobRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, { app }) => {
      const row = await app.jobStore.find(String(id));
      return row ? jobView(row) : null;
    },
  }),
  jobs: t.connection({
    type: JobRef,
    description: "Jobs, newest first.",
    args: {
      status: t.arg({ type: JobStatusEnum, required: false }),
      kind: t.arg.string({ required: false }),
    },
    resolve: (_root, args, { app }) =>
      cursorConnection(
        args,
        (job: JobSnapshot) => encodeCursor([job.seq]),
        async ({ before, after, limit, inverted }) => {
          let query = app.database.db.selectFrom("jobs").selectAll();
          if (args.status) query = query.where("status", "=", args.status as JobStatus);
          if (args.kind) query = query.where("kind", "=", args.kind);
          const seq = decodeIdCursor(after ?? before);
          if (seq !== undefined) query = query.where("seq", after ? "<" : ">", seq);
          const rows = await query
            .orderBy("seq", inverted ? "asc" : "desc")
            .limit(limit)
            .execute();
          return rows.map(jobView);
        },
      ),
  }),
}));

builder.mutationFields((t) => ({
  cancelJob: t.field({
    type: JobRef,
    description:
      "Stops a job: a queued job ends at once, a running one at its next progress report.",
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, { app }) => jobView(await app.jobs.cancel(String(id))),
  }),
}));

builder.subscriptionFields((t) => ({
  jobProgress: t.field({
    type: JobRef,
    description:
      "Streams a job's state: the stored state first, then every change, ending with its terminal state. While nothing changes, the last state is repeated every TAILOR_SSE_HEARTBEAT_MS.",
    args: { id: t.arg.id({ required: true }) },
    subscribe: (_root, { id }, { app }) =>
      watchJob(app.jobStore, app.pubsub, String(id), { heartbeatMs: app.config.sseHeartbeatMs }),
    resolve: (snapshot) => snapshot,
  }),
}));
