import { z } from "zod";
import { dataBlock } from "./conversation-block.ts";
import { likertOutput, textOutput, toSlug } from "./output-schemas.ts";
import { DATA_RULES, jsonOutputRules, type PromptSpec, systemMessage } from "./prompt-spec.ts";

/** One preference explanation as the rubric extraction reads it. */
export interface ExplanationItem {
  /** The caller's id for it, kept as evidence. */
  id: string;
  judgment: "SAT" | "DSAT";
  intent: string;
  expectation: string;
  reason: string;
}

/**
 * An aspect on which two groups' preferences diverge: the shape the LLM and the statistical
 * rubric methods share.
 */
export interface RubricAspect {
  /** Lower-case words joined by hyphens, e.g. `step-by-step-guidance`. */
  name: string;
  /** One-sentence summary of the reply property the aspect covers. */
  description: string;
  /** How far the groups diverge on it, 1 (not at all) to 5 (stark). */
  significance: number;
  /** Each group's preferred direction, by group name. */
  preferences: Record<string, string>;
  /** Ids of the explanations behind it. */
  evidence: string[];
}

/** The reply to one minibatch pair: the updated aspects and evidence ids that matched nothing. */
export interface AspectsUpdate {
  aspects: RubricAspect[];
  unknownEvidence: string[];
}

export interface RubricAspectsInput {
  intent: { domain: string; task: string };
  /** The two groups compared, e.g. `["novice", "expert"]`. */
  groups: readonly [string, string];
  batchA: readonly ExplanationItem[];
  batchB: readonly ExplanationItem[];
  /** Aspects found in earlier minibatches. */
  current: readonly RubricAspect[];
}

const aspectSchema = z.object({
  name: z
    .string()
    .transform(toSlug)
    .pipe(z.string().min(1, { message: "name needs at least one letter" })),
  description: textOutput(400),
  significance: likertOutput,
  groupA: textOutput(400),
  groupB: textOutput(400),
  evidence: z.array(z.coerce.string()).default([]),
});

/** Builds the schema of an update, which maps the prompt's local ids (`A1`, `B2`) back to explanation ids. */
export function aspectsOutputSchema(input: RubricAspectsInput) {
  const byLocalId = new Map<string, string>();
  input.batchA.forEach((item, position) => {
    byLocalId.set(`A${position + 1}`, item.id);
  });
  input.batchB.forEach((item, position) => {
    byLocalId.set(`B${position + 1}`, item.id);
  });
  const [groupA, groupB] = input.groups;
  return z.object({ aspects: z.array(aspectSchema).max(30) }).transform((reply): AspectsUpdate => {
    const unknownEvidence: string[] = [];
    const aspects = reply.aspects.map((aspect) => {
      const evidence: string[] = [];
      for (const localId of aspect.evidence) {
        const id = byLocalId.get(localId.trim().toUpperCase());
        if (id === undefined) unknownEvidence.push(localId);
        else if (!evidence.includes(id)) evidence.push(id);
      }
      return {
        name: aspect.name,
        description: aspect.description,
        significance: aspect.significance,
        preferences: { [groupA]: aspect.groupA, [groupB]: aspect.groupB },
        evidence,
      };
    });
    return { aspects, unknownEvidence };
  });
}

export const ASPECTS_EXAMPLE = {
  aspects: [
    {
      name: "step-by-step-guidance",
      description: "Whether the reply walks through the task in ordered steps.",
      significance: 4,
      groupA: "Wants numbered steps to follow one at a time.",
      groupB: "Wants the key change only and finds step lists slow.",
      evidence: ["A1", "A3", "B2"],
    },
  ],
};

const ID = "rubric-aspects";
const VERSION = 1;

/**
 * Builds the prompt for one minibatch pair of the LLM rubric method: compare a batch of
 * explanations from each group, and return the aspect list updated from `current`.
 */
export function buildRubricAspectsPrompt(input: RubricAspectsInput): PromptSpec<AspectsUpdate> {
  const [groupA, groupB] = input.groups;
  const items = (batch: readonly ExplanationItem[], prefix: string) =>
    batch.map((item, position) => ({
      id: `${prefix}${position + 1}`,
      judgment: item.judgment,
      intent: item.intent,
      expectation: item.expectation,
      reason: item.reason,
    }));
  const current = input.current.map((aspect) => ({
    name: aspect.name,
    description: aspect.description,
    significance: aspect.significance,
    groupA: aspect.preferences[groupA] ?? "",
    groupB: aspect.preferences[groupB] ?? "",
    evidenceCount: aspect.evidence.length,
  }));
  return {
    id: ID,
    version: VERSION,
    format: "json",
    maxTokens: 2000,
    schema: aspectsOutputSchema(input),
    messages: [
      systemMessage(ID, VERSION, [
        "You find out how two groups of users differ in what they want from an AI assistant, for one intent.",
        "You get a batch of preference explanations from each group (SAT: the user liked the reply; DSAT: the user did not), and the aspect list built from earlier batches.",
        [
          "Return the updated aspect list:",
          "- An aspect is one property of a reply on which preferences can differ: depth, examples, ordered steps, tone, checking of facts, length, and so on.",
          "- Keep the earlier aspects unless these batches contradict them; sharpen their wording and revise their significance with the new evidence. Add aspects these batches reveal, and merge duplicates.",
          "- For each aspect give: a name of 2-5 words; a one-sentence description; a significance from 1 to 5; what group A prefers; what group B prefers; and the ids of the explanations in these batches that support it (none when the support came from earlier batches).",
          "Significance is the size of the divergence between the groups: 1 = no visible difference, 2 = slight, 3 = moderate, 4 = clear, 5 = stark (they want opposite things).",
          "Divergence needs evidence from both groups: when one group's explanations say nothing about an aspect, rate it 1.",
        ].join("\n"),
        DATA_RULES,
        jsonOutputRules(ASPECTS_EXAMPLE),
      ]),
      {
        role: "user",
        content: [
          dataBlock("intent", input.intent),
          dataBlock("groups", { A: groupA, B: groupB }),
          dataBlock("explanations_group_a", items(input.batchA, "A")),
          dataBlock("explanations_group_b", items(input.batchB, "B")),
          dataBlock("current_aspects", current),
        ].join("\n"),
      },
    ],
  };
}
