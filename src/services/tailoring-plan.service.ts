import type { App } from "../app.ts";
import {
  type ChatMessage,
  composeTailoredMessages,
  decidePersonalization,
  type PersonalizationDecision,
} from "../domain/tailoring/plan.ts";
import type { GroupRule } from "../domain/tailoring/rules.ts";
import { InvalidInputError, NotFoundError } from "../errors.ts";
import { type PluginConversation, UNKNOWN_GROUP } from "../plugin-api/index.ts";
import { parseComparison, REST, type SidePreference } from "./rubric.repository.ts";
import { type CatalogSnapshot, tailoringCatalog } from "./tailoring-catalog.ts";

export interface PlanRequest {
  messages: ChatMessage[];
  userMetadata?: Record<string, unknown> | null;
  /** The caller's own group for the user; skips classification. */
  group?: string | null;
  /** The caller's own intent; skips classification. */
  intent?: { domain: string; task: string } | null;
  /** Grouping name; the one with the newest rubric when omitted. */
  grouping?: string | null;
  /** Apply only aspects above this significance; the rubric's threshold when omitted. */
  minSignificance?: number | null;
}

export interface LabelOrigin {
  source: "caller" | "classifier";
  /** `plugin@version/capability` when classified. */
  classifier: string | null;
  confidence: number;
  rationale: string | null;
}

export interface TailoringPlan {
  grouping: string;
  group: { name: string | null } & LabelOrigin;
  intent: { domain: string; task: string } & LabelOrigin;
  rubric: {
    id: string;
    version: number;
    method: string;
    comparison: string;
    createdAt: Date;
  } | null;
  rules: GroupRule[];
  decision: PersonalizationDecision;
  messages: ChatMessage[];
}

/**
 * Smallest effect, in SAT-rate points, of a kept aspect on a group's own satisfaction for the
 * aspect to become one of that group's rules. A two-group rubric keeps aspects on which the
 * groups diverge, so the group that is indifferent to the aspect gets no rule from it.
 */
export const MIN_GROUP_EFFECT_POINTS = 10;

const LIVE_CONVERSATION_ID = "live-request";

/** Builds the tailoring plan for one live conversation: who, what, which rules, and why. */
export async function planTailoring(app: App, request: PlanRequest): Promise<TailoringPlan> {
  validateMessages(request.messages);
  const catalog = await tailoringCatalog(app).current();
  const { row: grouping, classifier: groupClassifier } = chooseGrouping(
    catalog,
    request.grouping ?? null,
  );
  const conversation: PluginConversation = {
    id: LIVE_CONVERSATION_ID,
    messages: request.messages,
    metadata: request.userMetadata ?? {},
  };

  let group: TailoringPlan["group"];
  if (request.group) {
    if (!grouping.groups.includes(request.group)) {
      throw new InvalidInputError(
        "group",
        `Group ${JSON.stringify(request.group)} is not declared by grouping "${grouping.name}"; use one of ${grouping.groups.join(", ")}.`,
      );
    }
    group = {
      name: request.group,
      source: "caller",
      classifier: null,
      confidence: 1,
      rationale: null,
    };
  } else {
    const classifier = groupClassifier;
    const result = await classifier.classify(conversation);
    group = result.ok
      ? {
          name: result.value.group === UNKNOWN_GROUP ? null : result.value.group,
          source: "classifier",
          classifier: `${result.plugin}@${result.version}/${classifier.id}`,
          confidence: result.value.confidence,
          rationale: result.value.rationale ?? null,
        }
      : {
          name: null,
          source: "classifier",
          classifier: `${result.plugin}@${result.version}`,
          confidence: 0,
          rationale: result.error.message,
        };
  }

  let intent: TailoringPlan["intent"];
  if (request.intent) {
    intent = {
      ...request.intent,
      source: "caller",
      classifier: null,
      confidence: 1,
      rationale: null,
    };
  } else {
    const classifier = app.plugins.intentClassifier();
    const result = await classifier.classify(conversation);
    if (!result.ok) throw result.error;
    intent = {
      domain: result.value.domain,
      task: result.value.task,
      source: "classifier",
      classifier: `${result.plugin}@${result.version}/${classifier.id}`,
      confidence: result.value.confidence,
      rationale: null,
    };
  }

  const rubric = group.name ? findActiveRubric(catalog, grouping.id, intent, group.name) : null;
  const rules = rubric && group.name ? rulesFor(catalog, rubric, group.name) : [];
  const threshold =
    request.minSignificance ??
    Number((rubric?.parameters as { threshold?: number })?.threshold ?? 3);
  const decision = decidePersonalization({
    group: group.name,
    intent,
    rubric: rubric
      ? {
          version: rubric.version,
          emptyReason:
            (rubric.summary as { nothingKept?: { message?: string } }).nothingKept?.message ?? null,
        }
      : null,
    rules,
    minSignificance: threshold,
  });
  const applied = rules.filter((rule) => rule.significance > threshold);
  return {
    grouping: grouping.name,
    group,
    intent,
    rubric: rubric
      ? {
          id: rubric.id,
          version: rubric.version,
          method: rubric.method,
          comparison: rubric.comparison,
          createdAt: rubric.created_at,
        }
      : null,
    rules: decision.personalize ? applied : rules,
    decision,
    messages: decision.personalize
      ? composeTailoredMessages(group.name!, applied, request.messages)
      : [...request.messages],
  };
}

function validateMessages(messages: readonly ChatMessage[]): void {
  if (messages.length === 0)
    throw new InvalidInputError("messages", "messages is empty; send at least one user message.");
  messages.forEach((message, index) => {
    if (!["system", "user", "assistant"].includes(message.role)) {
      throw new InvalidInputError(
        `messages[${index}].role`,
        `Unknown role ${JSON.stringify(message.role)}; use system, user or assistant.`,
      );
    }
  });
  if (!messages.some((message) => message.role === "user")) {
    throw new InvalidInputError(
      "messages",
      "messages has no user message; the last request must come from the user.",
    );
  }
}

function chooseGrouping(catalog: CatalogSnapshot, name: string | null) {
  if (name) {
    const grouping = catalog.groupings.get(name);
    if (!grouping) throw new NotFoundError("Grouping", name);
    return grouping;
  }
  const newest = catalog.groupingsByRecency[0];
  if (!newest) {
    throw new InvalidInputError(
      "grouping",
      "No grouping exists yet; create one (createGrouping) and label a dataset first.",
    );
  }
  return catalog.groupings.get(newest)!;
}

function findActiveRubric(
  catalog: CatalogSnapshot,
  groupingId: string,
  intent: { domain: string; task: string },
  group: string,
) {
  const candidates =
    catalog.activeRubrics.get(`${groupingId}|${intent.domain}|${intent.task}`) ?? [];
  return (
    candidates.find((rubric) => {
      const { a, b } = parseComparison(rubric.comparison);
      return a === group || (b === group && b !== REST);
    }) ?? null
  );
}

function rulesFor(
  catalog: CatalogSnapshot,
  rubric: { id: string; comparison: string },
  group: string,
): GroupRule[] {
  const side = parseComparison(rubric.comparison).a === group ? "a" : "b";
  const rules: GroupRule[] = [];
  for (const aspect of catalog.keptAspects.get(rubric.id) ?? []) {
    const preference = (aspect.preferences as unknown as Record<"a" | "b", SidePreference>)[side];
    const effect = preference.effectPoints;
    // Statistical aspects carry a detector phrase; LLM aspects carry each side's preference text.
    const statedPhrase = (aspect.statistics as { phrase?: string }).phrase;
    const phrase = statedPhrase ?? (effect === null ? preference.preference : aspect.aspect);
    if (effect !== null && Math.abs(effect) < MIN_GROUP_EFFECT_POINTS) continue;
    rules.push({
      aspect: aspect.aspect,
      phrase,
      significance: aspect.significance,
      effectPoints: effect,
      direction: effect !== null && effect < 0 ? "avoid" : "prefer",
      description: aspect.description,
    });
  }
  return rules;
}
