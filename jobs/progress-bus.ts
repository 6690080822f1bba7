import { createRedisEventTarget } from "@graphql-yoga/redis-event-target";
import { createPubSub, type PubSub } from "graphql-yoga";
import { Redis } from "ioredis";
import type { JobRow } from "../src/db/tables.ts";

/** A job's state as published on every change: a copy of its row in the jobs table. */
export type JobSnapshot = Pick<
  JobRow,
  | "id"
  | "seq"
  | "kind"
  | "status"
  | "progress"
  | "result"
  | "error"
  | "usage"
  | "attempts"
  | "cancel_requested"
> & { createdAt: string; startedAt: string | null; finishedAt: string | null; updatedAt: string };

export function toSnapshot(row: JobRow): JobSnapshot {
  return {
    id: row.id,
    seq: row.seq,
    kind: row.kind,
    status: row.status,
    progress: row.progress,
    result: row.result,
    error: row.error,
    usage: row.usage,
    attempts: row.attempts,
    cancel_requested: row.cancel_requested,
    createdAt: new Date(row.created_at).toISOString(),
    startedAt: row.started_at ? new Date(row.started_at).toISOString() : null,
    finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

type Topics = {
  "job:changed": [jobId: string, snapshot: JobSnapshot];
  "job:cancel": [jobId: string, payload: { id: string }];
};

export type TailorPubSub = PubSub<Topics>;

export interface ProgressBus {
  pubsub: TailorPubSub;
  close(): Promise<void>;
}

/**
 * In-memory pubsub for the embedded default; Redis pubsub when REDIS_URL is set, so an API
 * instance streams the progress of a job that runs in any worker process.
 */
export function createProgressBus(redisUrl: string | undefined): ProgressBus {
  if (!redisUrl) return { pubsub: createPubSub<Topics>(), close: async () => {} };

  const publishClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: null });
  const subscribeClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: null });
  const eventTarget = createRedisEventTarget({ publishClient, subscribeClient });
  // Channels are named after job ids (UUIDs), so instances sharing a Redis never collide.
  const pubsub = createPubSub<Topics>({ eventTarget });
  return {
    pubsub,
    close: async () => {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}
