import { Repeater } from "graphql-yoga";
import type { GroupRule } from "../domain/tailoring/rules.ts";
import {
  InvalidInputError,
  NoProviderError,
  NotFoundError,
  ProviderError,
  TailorError,
  UnknownGroupError,
} from "../errors.ts";
import { responseGenerator } from "../services/generation/generator-factory.ts";
import {
  GENERATION_MODES,
  generateTailoredResponse,
  type TailoredResponse,
  type TailoredResponseRequest,
} from "../services/generation/tailored-response.service.ts";
import type { GraphQLContext } from "./builder.ts";
import { builder, ErrorInterface } from "./builder.ts";
import { ChatMessageInput, IntentInput, parseUserMetadata } from "./tailoring-plan.ts";

builder.objectType(NoProviderError, {
  name: "NoProviderError",
  description: "No LLM provider is configured; the message explains how to configure one.",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof NoProviderError,
  fields: () => ({}),
});

builder.objectType(ProviderError, {
  name: "ProviderError",
  description: "The LLM provider failed; `status` is its HTTP status when it answered.",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ProviderError,
  fields: (t) => ({
    provider: t.exposeString("provider"),
    status: t.exposeInt("status", { nullable: true }),
  }),
});

builder.objectType(UnknownGroupError, {
  name: "UnknownGroupError",
  description: "The group is not declared by the grouping.",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof UnknownGroupError,
  fields: (t) => ({
    group: t.exposeString("group"),
    grouping: t.exposeString("grouping"),
    knownGroups: t.stringList({ resolve: (error) => [...error.knownGroups] }),
  }),
});

const GenerationModeEnum = builder.enumType("GenerationMode", {
  values: GENERATION_MODES,
  description:
    "AUTO: CONTEXT when the group's rubric has rules for the intent, else BASE. CONTEXT: rubric rules in the prompt. BASE: zero-shot. PERSONA: the group named in the prompt. STATIC: criteria the model writes for the group. FINETUNED: the group's registered model.",
});

const AppliedRuleRef = builder.objectRef<GroupRule>("AppliedRule").implement({
  fields: (t) => ({
    aspect: t.exposeString("aspect"),
    phrase: t.exposeString("phrase"),
    significance: t.exposeInt("significance"),
    direction: t.exposeString("direction"),
    effectPoints: t.exposeFloat("effectPoints", { nullable: true }),
  }),
});

const UsageRef = builder
  .objectRef<{ promptTokens: number; completionTokens: number }>("TokenUsage")
  .implement({
    fields: (t) => ({
      promptTokens: t.exposeInt("promptTokens"),
      completionTokens: t.exposeInt("completionTokens"),
    }),
  });

export const TailoredResponseRef = builder
  .objectRef<TailoredResponse>("TailoredResponse")
  .implement({
    fields: (t) => ({
      text: t.exposeString("text"),
      requestedMode: t.field({
        type: GenerationModeEnum,
        resolve: (response) => response.requestedMode,
      }),
      mode: t.field({ type: GenerationModeEnum, resolve: (response) => response.mode }),
      fallback: t.exposeString("fallback", {
        nullable: true,
        description: "Why the mode used differs from the one requested.",
      }),
      grouping: t.exposeString("grouping"),
      group: t.string({ nullable: true, resolve: (response) => response.group.name }),
      groupSource: t.string({ resolve: (response) => response.group.source }),
      groupClassifier: t.string({
        nullable: true,
        resolve: (response) => response.group.classifier,
      }),
      groupConfidence: t.float({ resolve: (response) => response.group.confidence }),
      domain: t.string({ resolve: (response) => response.intent.domain }),
      task: t.string({ resolve: (response) => response.intent.task }),
      intentSource: t.string({ resolve: (response) => response.intent.source }),
      intentConfidence: t.float({ resolve: (response) => response.intent.confidence }),
      rubricVersion: t.int({
        nullable: true,
        resolve: (response) => response.rubric?.version ?? null,
      }),
      rubricId: t.id({ nullable: true, resolve: (response) => response.rubric?.id ?? null }),
      aspectsApplied: t.field({
        type: [AppliedRuleRef],
        resolve: (response) => response.aspectsApplied,
      }),
      personalized: t.boolean({ resolve: (response) => response.decision.personalize }),
      decisionReason: t.string({ resolve: (response) => response.decision.reason }),
      decisionExplanation: t.string({ resolve: (response) => response.decision.explanation }),
      model: t.exposeString("model"),
      finishReason: t.exposeString("finishReason"),
      usage: t.field({
        type: UsageRef,
        nullable: true,
        description: "Null when the provider reported none.",
        resolve: (response) => response.usage,
      }),
      latencyMs: t.exposeInt("latencyMs"),
      replayed: t.exposeBoolean("replayed", {
        description: "True when returned from the idempotency store.",
      }),
    }),
  });

const GenerateInput = builder.inputType("GenerateTailoredResponseInput", {
  fields: (t) => ({
    messages: t.field({ type: [ChatMessageInput], required: true }),
    userMetadata: t.field({ type: "JSON", required: false }),
    grouping: t.string({ required: false }),
    group: t.string({ required: false }),
    intent: t.field({ type: IntentInput, required: false }),
    mode: t.field({ type: GenerationModeEnum, required: false, defaultValue: "AUTO" }),
    idempotencyKey: t.string({
      required: false,
      description: "Repeat a request with the same key to get the stored response.",
    }),
  }),
});

type GenerateInputShape = typeof GenerateInput.$inferInput;

function toRequest(input: GenerateInputShape): TailoredResponseRequest {
  return {
    messages: input.messages,
    userMetadata: parseUserMetadata(input.userMetadata),
    grouping: input.grouping ?? null,
    group: input.group ?? null,
    intent: input.intent ?? null,
    mode: input.mode ?? "AUTO",
    idempotencyKey: input.idempotencyKey ?? null,
  };
}

builder.mutationFields((t) => ({
  generateTailoredResponse: t.field({
    type: TailoredResponseRef,
    description:
      "Answers a conversation for the user's group: tailored when the group's rubric calls for it.",
    errors: {
      types: [NoProviderError, InvalidInputError, ProviderError, UnknownGroupError, NotFoundError],
    },
    args: { input: t.arg({ type: GenerateInput, required: true }) },
    resolve: (_root, { input }, { app }) =>
      generateTailoredResponse(app, responseGenerator(app), toRequest(input)),
  }),
}));

interface StreamEvent {
  delta: string | null;
  response: TailoredResponse | null;
  error: TailorError | null;
}

const StreamEventRef = builder.objectRef<StreamEvent>("TailoredResponseEvent").implement({
  description:
    "A piece of a streamed answer; the last event carries the whole payload, or an error.",
  fields: (t) => ({
    delta: t.exposeString("delta", { nullable: true }),
    response: t.field({
      type: TailoredResponseRef,
      nullable: true,
      resolve: (event) => event.response,
    }),
    error: t.field({ type: ErrorInterface, nullable: true, resolve: (event) => event.error }),
  }),
});

builder.subscriptionFields((t) => ({
  tailoredResponse: t.field({
    type: StreamEventRef,
    description:
      "Streams an answer's text as it is generated, then the same payload as the mutation.",
    args: { input: t.arg({ type: GenerateInput, required: true }) },
    subscribe: (_root, { input }, context) => streamResponse(context, input),
    resolve: (event) => event,
  }),
}));

function streamResponse(context: GraphQLContext, input: GenerateInputShape): Repeater<StreamEvent> {
  return new Repeater<StreamEvent>(async (push, stop) => {
    const controller = new AbortController();
    stop.then(() => controller.abort());
    try {
      const response = await generateTailoredResponse(
        context.app,
        responseGenerator(context.app),
        toRequest(input),
        {
          signal: controller.signal,
          onDelta: (delta) => void push({ delta, response: null, error: null }),
        },
      );
      await push({ delta: null, response, error: null });
    } catch (error) {
      if (!(error instanceof TailorError)) throw error;
      await push({ delta: null, response: null, error });
    }
    stop();
  });
}
