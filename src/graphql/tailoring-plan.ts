import type { ChatMessage } from "../domain/tailoring/plan.ts";
import type { GroupRule } from "../domain/tailoring/rules.ts";
import { InvalidInputError, NotFoundError } from "../errors.ts";
import {
  type LabelOrigin,
  planTailoring,
  type TailoringPlan,
} from "../services/tailoring-plan.service.ts";
import { builder } from "./builder.ts";

export const ChatRoleEnum = builder.enumType("ChatRole", {
  values: {
    SYSTEM: { value: "system" },
    USER: { value: "user" },
    ASSISTANT: { value: "assistant" },
  } as const,
});

export const ChatMessageInput = builder.inputType("ChatMessageInput", {
  fields: (t) => ({
    role: t.field({ type: ChatRoleEnum, required: true }),
    content: t.string({ required: true }),
  }),
});

const ChatMessageRef = builder.objectRef<ChatMessage>("ChatMessage").implement({
  fields: (t) => ({
    role: t.field({ type: ChatRoleEnum, resolve: (message) => message.role }),
    content: t.exposeString("content"),
  }),
});

export const IntentInput = builder.inputType("IntentInput", {
  fields: (t) => ({ domain: t.string({ required: true }), task: t.string({ required: true }) }),
});

const LabelSourceEnum = builder.enumType("LabelSource", {
  values: { CALLER: { value: "caller" }, CLASSIFIER: { value: "classifier" } } as const,
});

const originFields = builder.objectRef<LabelOrigin>("LabelOrigin");
originFields.implement({
  fields: (t) => ({
    source: t.field({ type: LabelSourceEnum, resolve: (origin) => origin.source }),
    classifier: t.exposeString("classifier", {
      nullable: true,
      description: "plugin@version/capability when classified.",
    }),
    confidence: t.exposeFloat("confidence"),
    rationale: t.exposeString("rationale", { nullable: true }),
  }),
});

const PlanGroupRef = builder.objectRef<TailoringPlan["group"]>("PlanGroup").implement({
  fields: (t) => ({
    name: t.exposeString("name", {
      nullable: true,
      description: "Null when the group is unknown.",
    }),
    origin: t.field({ type: originFields, resolve: (group) => group }),
  }),
});

const PlanIntentRef = builder.objectRef<TailoringPlan["intent"]>("PlanIntent").implement({
  fields: (t) => ({
    domain: t.exposeString("domain"),
    task: t.exposeString("task"),
    origin: t.field({ type: originFields, resolve: (intent) => intent }),
  }),
});

const PlanRubricRef = builder
  .objectRef<NonNullable<TailoringPlan["rubric"]>>("PlanRubric")
  .implement({
    fields: (t) => ({
      id: t.exposeID("id"),
      version: t.exposeInt("version"),
      method: t.exposeString("method"),
      comparison: t.exposeString("comparison"),
      createdAt: t.field({ type: "DateTime", resolve: (rubric) => rubric.createdAt }),
    }),
  });

const GroupRuleRef = builder.objectRef<GroupRule>("GroupRule").implement({
  description: "A rubric aspect as it applies to the user's group.",
  fields: (t) => ({
    aspect: t.exposeString("aspect"),
    phrase: t.exposeString("phrase"),
    significance: t.exposeInt("significance"),
    effectPoints: t.exposeFloat("effectPoints", {
      nullable: true,
      description: "The group's SAT-rate effect in points.",
    }),
    direction: t.exposeString("direction", { description: "prefer or avoid." }),
    description: t.exposeString("description"),
  }),
});

const PersonalizationReasonEnum = builder.enumType("PersonalizationReason", {
  values: [
    "PERSONALIZED",
    "UNKNOWN_GROUP",
    "NO_RUBRIC",
    "EMPTY_RUBRIC",
    "BELOW_THRESHOLD",
  ] as const,
});

const DecisionRef = builder
  .objectRef<TailoringPlan["decision"]>("PersonalizationDecision")
  .implement({
    fields: (t) => ({
      personalize: t.exposeBoolean("personalize"),
      reason: t.field({ type: PersonalizationReasonEnum, resolve: (decision) => decision.reason }),
      explanation: t.exposeString("explanation"),
    }),
  });

const TailoringPlanRef = builder.objectRef<TailoringPlan>("TailoringPlan").implement({
  description:
    "How Tailor would answer one conversation: group, intent, rules, and the messages to send.",
  fields: (t) => ({
    grouping: t.exposeString("grouping"),
    group: t.field({ type: PlanGroupRef, resolve: (plan) => plan.group }),
    intent: t.field({ type: PlanIntentRef, resolve: (plan) => plan.intent }),
    rubric: t.field({ type: PlanRubricRef, nullable: true, resolve: (plan) => plan.rubric }),
    rules: t.field({ type: [GroupRuleRef], resolve: (plan) => plan.rules }),
    decision: t.field({ type: DecisionRef, resolve: (plan) => plan.decision }),
    messages: t.field({
      type: [ChatMessageRef],
      description:
        "Ready for any chat model: Tailor's system message with the rules, then the conversation.",
      resolve: (plan) => plan.messages,
    }),
  }),
});

export const TailoringPlanInput = builder.inputType("TailoringPlanInput", {
  fields: (t) => ({
    messages: t.field({ type: [ChatMessageInput], required: true }),
    userMetadata: t.field({
      type: "JSON",
      required: false,
      description: 'Metadata of the user, e.g. {"country": "India"}.',
    }),
    grouping: t.string({
      required: false,
      description: "Grouping name; the one with the newest rubric when omitted.",
    }),
    group: t.string({
      required: false,
      description: "The user's group, when the caller knows it.",
    }),
    intent: t.field({ type: IntentInput, required: false }),
    minSignificance: t.int({ required: false }),
  }),
});

builder.queryFields((t) => ({
  tailoringPlan: t.field({
    type: TailoringPlanRef,
    errors: { types: [InvalidInputError, NotFoundError] },
    args: { input: t.arg({ type: TailoringPlanInput, required: true }) },
    resolve: (_root, { input }, { app }) => {
      return planTailoring(app, {
        messages: input.messages,
        userMetadata: parseUserMetadata(input.userMetadata),
        group: input.group ?? null,
        intent: input.intent ?? null,
        grouping: input.grouping ?? null,
        minSignificance: input.minSignificance ?? null,
      });
    },
  }),
}));

/** Checks that `input.userMetadata` is a JSON object (or absent) and returns it. */
export function parseUserMetadata(metadata: unknown): Record<string, unknown> | null {
  if (metadata === null || metadata === undefined) return null;
  if (typeof metadata !== "object" || Array.isArray(metadata)) {
    throw new InvalidInputError(
      "input.userMetadata",
      `userMetadata must be a JSON object; got ${JSON.stringify(metadata)}.`,
    );
  }
  return metadata as Record<string, unknown>;
}
