import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { RetryableJobError } from "../../jobs/errors.ts";
import { defineJob } from "../../jobs/types.ts";

/**
 * A job for runner tests: walks `steps` steps, reporting progress on each, and fails with a
 * retryable error on its first `failTimes` attempts, or for good when `fatal` is set.
 */
export const stepsJob = defineJob({
  kind: "test.steps",
  payload: z.object({
    steps: z.number().int().min(1),
    stepMs: z.number().int().min(0).default(0),
    failTimes: z.number().int().min(0).default(0),
    fatal: z.boolean().default(false),
  }),
  attempts: 3,
  backoffMs: 10,
  async process(context, payload) {
    for (let step = 1; step <= payload.steps; step++) {
      if (payload.stepMs > 0) await sleep(payload.stepMs);
      else await new Promise((resolve) => setImmediate(resolve));
      await context.progress({ stage: "steps", done: step, total: payload.steps });
      if (step === Math.ceil(payload.steps / 2)) {
        if (payload.fatal) throw new Error("step failed for good");
        if (context.attempt <= payload.failTimes)
          throw new RetryableJobError(`transient failure on attempt ${context.attempt}`);
      }
    }
    return { steps: payload.steps, attempt: context.attempt };
  },
});
