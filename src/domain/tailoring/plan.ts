import { type GroupRule, ruleInstruction } from "./rules.ts";

export type PersonalizationReason =
  | "PERSONALIZED"
  | "UNKNOWN_GROUP"
  | "NO_RUBRIC"
  | "EMPTY_RUBRIC"
  | "BELOW_THRESHOLD";

export interface PersonalizationDecision {
  personalize: boolean;
  reason: PersonalizationReason;
  /** One sentence for people: why the response is or is not tailored. */
  explanation: string;
}

export interface DecisionInput {
  group: string | null;
  intent: { domain: string; task: string };
  /** Null when no rubric was ever extracted for this grouping and intent. */
  rubric: { version: number; emptyReason: string | null } | null;
  /** The rubric's kept aspects as they apply to this group. */
  rules: readonly GroupRule[];
  /** Rules at or below this significance are not applied. */
  minSignificance: number;
}

/**
 * Decides whether to tailor: only for a known group whose rubric for the intent keeps at
 * least one aspect above the significance threshold. Every other case gets the plain response
 * and the reason.
 */
export function decidePersonalization(input: DecisionInput): PersonalizationDecision {
  const intent = `${input.intent.domain}/${input.intent.task}`;
  if (input.group === null) {
    return {
      personalize: false,
      reason: "UNKNOWN_GROUP",
      explanation: "The user's group could not be determined, so the plain answer is used.",
    };
  }
  if (input.rubric === null) {
    return {
      personalize: false,
      reason: "NO_RUBRIC",
      explanation: `No rubric has been extracted for ${intent} in this grouping; run extractRubrics first.`,
    };
  }
  if (input.rules.length === 0) {
    return {
      personalize: false,
      reason: "EMPTY_RUBRIC",
      explanation: `Rubric v${input.rubric.version} for ${intent} is empty for ${input.group}: ${input.rubric.emptyReason ?? "no aspect diverges between the groups"}.`,
    };
  }
  const applied = input.rules.filter((rule) => rule.significance > input.minSignificance);
  if (applied.length === 0) {
    return {
      personalize: false,
      reason: "BELOW_THRESHOLD",
      explanation: `Rubric v${input.rubric.version} for ${intent} has aspects for ${input.group}, but none above significance ${input.minSignificance}.`,
    };
  }
  return {
    personalize: true,
    reason: "PERSONALIZED",
    explanation: `${applied.length} aspect${applied.length === 1 ? "" : "s"} of rubric v${input.rubric.version} for ${intent} apply to ${input.group}.`,
  };
}

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/**
 * Builds the messages to send to any chat model: a system message with the group's rules,
 * then the conversation. A system message the caller sent is kept, after Tailor's.
 */
export function composeTailoredMessages(
  group: string,
  rules: readonly GroupRule[],
  conversation: readonly ChatMessage[],
): ChatMessage[] {
  const lines = [
    `Users like this one (group: ${group}) have shown consistent preferences on requests of this kind.`,
    "Follow these rules where they fit the request; the request itself always comes first:",
    ...rules.map((rule, index) => `${index + 1}. ${ruleInstruction(rule)}`),
    "Tokens such as <NAME> or <PRESIDIO_ANONYMIZED_EMAIL_ADDRESS> are redaction placeholders: never fill them in with invented values and do not repeat them.",
  ];
  return [{ role: "system", content: lines.join("\n") }, ...conversation];
}
