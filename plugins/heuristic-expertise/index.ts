import {
  definePlugin,
  type GroupClassifier,
  type GroupClassifierFactory,
  UNKNOWN_GROUP,
  userMessages,
  z,
} from "../../src/plugin-api/index.ts";
import {
  ADVANCED_TERMS,
  CODE_POINTS,
  ERROR_TRACE_POINTS,
  EXPERT_SELF_DESCRIPTION,
  EXPERT_SELF_POINTS,
  hasCode,
  hasErrorTrace,
  MAX_SPECIFICITY_POINTS,
  MAX_TERM_POINTS,
  NOVICE_SELF_DESCRIPTION,
  NOVICE_SELF_POINTS,
  proseOf,
  specificityKinds,
} from "./expertise-rules.ts";

/**
 * Heuristic expertise classifier: novice / intermediate / expert / unknown from the user's own
 * messages, in English and Chinese. No LLM, so it labels a whole dataset offline.
 *
 * Rules (the cue lists are in expertise-rules.ts):
 * 1. Expert points: code (2) and a pasted error or stack trace (1). Distinct advanced terms in
 *    the prose outside code (1 each, at most 4). Kinds of specific detail such as versions,
 *    file names, shell commands and flags (1 each, at most 2). A professional
 *    self-description (3).
 * 2. Novice points: a self-description as a beginner or a request for a plain explanation
 *    ("I'm new to", "ELI5", "小白", "零基础", "通俗易懂"): 3.
 * 3. A beginner self-description decides novice, unless the user also describes professional
 *    experience, which gives intermediate ("new to Rust, ten years of C++").
 * 4. Otherwise expert when the expert points reach `expertFrom` and the evidence includes
 *    either two advanced terms or the professional self-description, so that pasted code and
 *    an error alone never make an expert; intermediate from `intermediateFrom` points; and
 *    unknown below that, because one technical word says little.
 */
const optionsSchema = z
  .strictObject({
    /** Expert points at which, with enough vocabulary, the user counts as an expert. */
    expertFrom: z.number().int().min(1).default(4),
    /** Expert points at which the user counts as intermediate. */
    intermediateFrom: z.number().int().min(1).default(2),
  })
  .refine((options) => options.intermediateFrom < options.expertFrom, {
    message: "intermediateFrom must be below expertFrom",
  });
export type ExpertiseOptions = z.infer<typeof optionsSchema>;

export const EXPERTISE_GROUPS = ["novice", "intermediate", "expert"] as const;

/** The points found in the user's messages, with the evidence behind them. */
export interface ExpertiseEvidence {
  expertPoints: number;
  novicePoints: number;
  advancedTerms: string[];
  expertSelfDescription: boolean;
  reasons: string[];
}

export function collectEvidence(userText: string): ExpertiseEvidence {
  const reasons: string[] = [];
  let expertPoints = 0;
  if (hasCode(userText)) {
    expertPoints += CODE_POINTS;
    reasons.push("code");
  }
  if (hasErrorTrace(userText)) {
    expertPoints += ERROR_TRACE_POINTS;
    reasons.push("an error trace");
  }

  const advancedTerms = ADVANCED_TERMS.find(proseOf(userText));
  if (advancedTerms.length > 0) {
    expertPoints += Math.min(advancedTerms.length, MAX_TERM_POINTS);
    reasons.push(`terms: ${advancedTerms.slice(0, 5).join(", ")}`);
  }

  const specific = Math.min(specificityKinds(userText), MAX_SPECIFICITY_POINTS);
  if (specific > 0) {
    expertPoints += specific;
    reasons.push("specific details (versions, files, commands or flags)");
  }

  const expertSelf = EXPERT_SELF_DESCRIPTION.find(userText);
  if (expertSelf.length > 0) {
    expertPoints += EXPERT_SELF_POINTS;
    reasons.push(`says "${expertSelf[0]}"`);
  }

  const noviceSelf = NOVICE_SELF_DESCRIPTION.find(userText);
  if (noviceSelf.length > 0) reasons.push(`says "${noviceSelf[0]}"`);
  return {
    expertPoints,
    novicePoints: noviceSelf.length > 0 ? NOVICE_SELF_POINTS : 0,
    advancedTerms,
    expertSelfDescription: expertSelf.length > 0,
    reasons,
  };
}

export function createExpertiseClassifier(options: ExpertiseOptions): GroupClassifier {
  const { expertFrom, intermediateFrom } = options;
  return {
    groups: EXPERTISE_GROUPS,
    classify(conversation) {
      const evidence = collectEvidence(userMessages(conversation).join("\n"));
      const because = evidence.reasons.join("; ");
      if (evidence.novicePoints > 0) {
        return evidence.expertSelfDescription
          ? {
              group: "intermediate",
              confidence: 0.5,
              rationale: `mixed self-description: ${because}`,
            }
          : { group: "novice", confidence: 0.75, rationale: because };
      }
      const enoughVocabulary = evidence.advancedTerms.length >= 2 || evidence.expertSelfDescription;
      if (evidence.expertPoints >= expertFrom && enoughVocabulary) {
        const confidence = Math.min(0.6 + 0.05 * (evidence.expertPoints - expertFrom), 0.85);
        return { group: "expert", confidence, rationale: because };
      }
      if (evidence.expertPoints >= intermediateFrom) {
        return { group: "intermediate", confidence: 0.55, rationale: because };
      }
      return {
        group: UNKNOWN_GROUP,
        confidence: 0.5,
        rationale: because
          ? `too little evidence: ${because}`
          : "no expertise cues in the user's messages",
      };
    },
  };
}

export const heuristicExpertiseClassifier: GroupClassifierFactory<ExpertiseOptions> = {
  id: "heuristic-expertise",
  description:
    "Novice, intermediate or expert from the user's vocabulary, code, error traces, specificity and self-description (English and Chinese).",
  optionsSchema,
  create: createExpertiseClassifier,
};

export default definePlugin({
  name: "heuristic-expertise",
  version: "1.0.0",
  apiVersion: 1,
  description: "Rule-based expertise classifier over the user's own messages.",
  setup(context) {
    context.registerGroupClassifier(heuristicExpertiseClassifier);
  },
});
