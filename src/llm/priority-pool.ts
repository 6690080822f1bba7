/** Raised for a queued task that `PriorityPool.stop` dropped before it started. */
export class TaskDroppedError extends Error {
  override name = "TaskDroppedError";
  constructor(readonly reason: unknown) {
    super("The task was dropped before it started, because its pool was stopped.");
  }
}

interface Entry {
  priority: () => number;
  start: () => Promise<void>;
  drop: (reason: unknown) => void;
}

/**
 * Runs async tasks with at most `slots` at a time, the highest priority first and, among equal
 * priorities, in submission order. Priorities are functions, read each time a slot frees, so
 * a caller can raise waiting work once it learns more (the labelling pipeline ranks reviews by
 * the extraction chains they feed once classification is done).
 *
 * Give it as many slots as the LLM client's concurrency: the client's own limit then never
 * queues, and this pool alone decides the order of the calls.
 */
export class PriorityPool {
  private readonly queue: Entry[] = [];
  private running = 0;
  private stopReason: { reason: unknown } | undefined;

  constructor(private readonly slots: number) {
    if (!Number.isInteger(slots) || slots < 1)
      throw new RangeError(`A pool needs a whole number of slots of at least 1, got ${slots}.`);
  }

  /** Tasks started and not yet finished. */
  get active(): number {
    return this.running;
  }

  /** Tasks waiting for a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Queues `task`; rejects with `TaskDroppedError` when the pool stops before it starts. */
  run<T>(priority: number | (() => number), task: () => Promise<T>): Promise<T> {
    if (this.stopReason) return Promise.reject(new TaskDroppedError(this.stopReason.reason));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        priority: typeof priority === "number" ? () => priority : priority,
        start: () => task().then(resolve, reject),
        drop: (reason) => reject(new TaskDroppedError(reason)),
      });
      this.pump();
    });
  }

  /** Drops every queued task and refuses new ones; tasks already running finish. */
  stop(reason: unknown): void {
    this.stopReason ??= { reason };
    for (const entry of this.queue.splice(0)) entry.drop(reason);
  }

  private pump(): void {
    while (this.running < this.slots && this.queue.length > 0) {
      const entry = this.takeNext();
      this.running += 1;
      void entry.start().finally(() => {
        this.running -= 1;
        this.pump();
      });
    }
  }

  /** Removes and returns the highest-priority entry; a linear scan, as queues hold thousands at most. */
  private takeNext(): Entry {
    let best = 0;
    let bestPriority = this.queue[0]!.priority();
    for (let index = 1; index < this.queue.length; index += 1) {
      const priority = this.queue[index]!.priority();
      // Entries stay in submission order, so a strict comparison keeps ties first-come.
      if (priority > bestPriority) {
        best = index;
        bestPriority = priority;
      }
    }
    return this.queue.splice(best, 1)[0]!;
  }
}
