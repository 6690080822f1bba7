import type { JobRow } from "../src/db/tables.ts";
import { NotFoundError } from "../src/errors.ts";
import { isTerminal } from "./execute.ts";
import type { JobStore } from "./job-store.ts";
import { type JobSnapshot, type TailorPubSub, toSnapshot } from "./progress-bus.ts";

export interface WatchOptions {
  /** How often the job row is re-read in case a published event was lost. */
  reconcileMs?: number;
  /**
   * Repeat the last snapshot when nothing was sent for this long, so that proxies do not cut a
   * quiet stream (a long job stage can be silent for minutes). Off when unset.
   */
  heartbeatMs?: number;
  signal?: AbortSignal;
}

/**
 * Streams a job's snapshots: first the stored row, then each published change, and last the
 * terminal state as stored. Pubsub is best-effort (a missed or late event is possible), so
 * the row is re-read periodically and on the way out, and a snapshot older than one already
 * sent is dropped: the stream never goes backwards.
 */
export async function* watchJob(
  store: JobStore,
  pubsub: TailorPubSub,
  jobId: string,
  options: WatchOptions = {},
): AsyncGenerator<JobSnapshot> {
  const reconcileMs = Math.min(
    options.reconcileMs ?? 1000,
    options.heartbeatMs ?? Number.POSITIVE_INFINITY,
  );
  const events = pubsub.subscribe("job:changed", jobId);
  try {
    const first = await store.find(jobId);
    if (!first) throw new NotFoundError("Job", jobId);
    let last = toSnapshot(first);
    let lastSentAt = Date.now();
    yield last;
    if (isTerminal(last.status)) return;

    const iterator = events[Symbol.asyncIterator]();
    let pending = iterator.next();
    while (!options.signal?.aborted) {
      let timer: NodeJS.Timeout | undefined;
      const tick = new Promise<"tick">((resolve) => {
        timer = setTimeout(() => resolve("tick"), reconcileMs);
      });
      const next = await Promise.race([pending, tick]);
      clearTimeout(timer);

      let candidate: JobSnapshot | undefined;
      if (next === "tick") {
        const row = await store.find(jobId);
        candidate = row ? toSnapshot(row) : undefined;
      } else {
        pending = iterator.next();
        if (next.done) break;
        candidate = next.value;
      }
      if (!candidate || !isNewer(candidate, last)) {
        if (options.heartbeatMs !== undefined && Date.now() - lastSentAt >= options.heartbeatMs) {
          lastSentAt = Date.now();
          yield last;
        }
        continue;
      }
      last = candidate;
      lastSentAt = Date.now();
      yield last;
      if (isTerminal(last.status)) return;
    }

    const final = await store.find(jobId);
    if (final && isNewer(toSnapshot(final), last)) yield toSnapshot(final);
  } finally {
    await events.return?.();
  }
}

function isNewer(candidate: JobSnapshot, last: JobSnapshot): boolean {
  if (isTerminal(last.status)) return false;
  if (isTerminal(candidate.status)) return true;
  if (candidate.updatedAt < last.updatedAt) return false;
  if (candidate.updatedAt === last.updatedAt && candidate.status === last.status) {
    return progressRank(candidate) > progressRank(last);
  }
  return true;
}

function progressRank(snapshot: JobSnapshot): number {
  return snapshot.progress?.done ?? -1;
}

/** Resolves with the job's row once it reaches a terminal state; throws after `timeoutMs`. */
export async function waitForTerminal(
  store: JobStore,
  pubsub: TailorPubSub,
  jobId: string,
  timeoutMs: number,
): Promise<JobRow> {
  const signal = AbortSignal.timeout(timeoutMs);
  for await (const snapshot of watchJob(store, pubsub, jobId, { signal })) {
    if (isTerminal(snapshot.status)) break;
  }
  const row = await store.find(jobId);
  if (!row) throw new NotFoundError("Job", jobId);
  if (!isTerminal(row.status))
    throw new Error(`Job ${jobId} did not finish within ${timeoutMs} ms.`);
  return row;
}
