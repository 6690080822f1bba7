import { z } from "zod";
import { labelDataset } from "../src/services/labelling.service.ts";
import { defineJob } from "./types.ts";

export const labelPayload = z.object({
  dataset: z.string().min(1),
  /** Grouping names; every grouping when omitted. */
  groupings: z.array(z.string().min(1)).optional(),
  /** Intent classifier id; the default when omitted. */
  intent: z.string().min(1).optional(),
  /** Satisfaction judge id; the default when omitted. */
  judge: z.string().min(1).optional(),
});

export const labelJob = defineJob({
  kind: "label",
  payload: labelPayload,
  attempts: 3,
  backoffMs: 1000,
  process: (context, payload) => labelDataset(context, payload),
});
