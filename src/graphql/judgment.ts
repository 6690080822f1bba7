import { builder } from "./builder.ts";

export const JudgmentEnum = builder.enumType("Judgment", {
  description: "Whether the user was satisfied with an assistant turn, judged from what followed.",
  values: { SAT: { value: "SAT" }, DSAT: { value: "DSAT" }, NA: { value: "NA" } } as const,
});
