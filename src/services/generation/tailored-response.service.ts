import { createHash } from "node:crypto";
import type { App } from "../../app.ts";
import { toJson } from "../../db/tables.ts";
import type { ChatMessage } from "../../domain/tailoring/plan.ts";
import type { GroupRule } from "../../domain/tailoring/rules.ts";
import {
  InvalidInputError,
  NoProviderError,
  ProviderError,
  UnavailableError,
  UnknownGroupError,
} from "../../errors.ts";
import { LlmError } from "../../llm/llm-errors.ts";
import { type PlanRequest, planTailoring, type TailoringPlan } from "../tailoring-plan.service.ts";
import { buildModeMessages } from "./mode-prompts.ts";
import { findGroupModel } from "./model-registry.ts";
import type { ResponseGenerator } from "./response-generator.ts";

export const GENERATION_MODES = [
  "AUTO",
  "CONTEXT",
  "BASE",
  "PERSONA",
  "STATIC",
  "FINETUNED",
] as const;
export type GenerationMode = (typeof GENERATION_MODES)[number];
export type UsedMode = Exclude<GenerationMode, "AUTO">;

export interface TailoredResponseRequest extends PlanRequest {
  mode: GenerationMode;
  idempotencyKey?: string | null;
}

export interface TailoredResponse {
  text: string;
  requestedMode: GenerationMode;
  mode: UsedMode;
  /** Reason the mode used differs from the one requested; null when it does not. */
  fallback: string | null;
  grouping: string;
  group: TailoringPlan["group"];
  intent: TailoringPlan["intent"];
  rubric: TailoringPlan["rubric"];
  /** Rubric rules that went into the prompt; empty unless the mode is CONTEXT. */
  aspectsApplied: GroupRule[];
  decision: TailoringPlan["decision"];
  model: string;
  finishReason: string;
  usage: { promptTokens: number; completionTokens: number } | null;
  latencyMs: number;
  /** True when the response was stored under the idempotency key by an earlier request. */
  replayed: boolean;
}

/**
 * Answers one conversation for an application: classify group and intent (or take them from
 * the caller), choose the mode (AUTO tailors only when the rubric has rules for the group),
 * build the mode's prompt and generate. With an idempotency key the first response is stored and
 * returned again for the same request, with no second provider call.
 */
export async function generateTailoredResponse(
  app: App,
  generator: ResponseGenerator | undefined,
  request: TailoredResponseRequest,
  options: { onDelta?: (delta: string) => void; signal?: AbortSignal } = {},
): Promise<TailoredResponse> {
  if (!generator) throw new NoProviderError("generateTailoredResponse");
  const key = request.idempotencyKey ?? null;
  if (key !== null && (key.length === 0 || key.length > 200)) {
    throw new InvalidInputError(
      "idempotencyKey",
      `idempotencyKey must be 1 to 200 characters; got ${key.length}.`,
    );
  }
  const requestHash = key ? hashRequest(request) : "";
  if (key) {
    const stored = await app.database.db
      .selectFrom("tailored_responses")
      .selectAll()
      .where("idempotency_key", "=", key)
      .executeTakeFirst();
    if (stored) {
      if (stored.request_hash !== requestHash) {
        throw new InvalidInputError(
          "idempotencyKey",
          `idempotencyKey ${JSON.stringify(key)} was already used for a different request; use a new key.`,
        );
      }
      const payload = { ...(stored.payload as unknown as TailoredResponse), replayed: true };
      options.onDelta?.(payload.text);
      return payload;
    }
  }

  const started = performance.now();
  const plan = await planWithTypedErrors(app, request);
  const choice = await chooseMode(app, request.mode, plan);
  const messages = await buildModeMessages(
    app,
    generator,
    choice.mode,
    plan,
    request.messages,
    options.signal,
  );

  let reply: Awaited<ReturnType<ResponseGenerator["generate"]>>;
  try {
    reply = await generator.generate(messages, {
      ...(choice.model ? { model: choice.model } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onDelta ? { onDelta: options.onDelta } : {}),
    });
  } catch (error) {
    throw toProviderError(generator, error);
  }

  const response: TailoredResponse = {
    text: reply.content,
    requestedMode: request.mode,
    mode: choice.mode,
    fallback: choice.fallback,
    grouping: plan.grouping,
    group: plan.group,
    intent: plan.intent,
    rubric: plan.rubric,
    aspectsApplied: choice.mode === "CONTEXT" ? plan.rules : [],
    decision: plan.decision,
    model: reply.model,
    finishReason: reply.finishReason,
    usage: reply.usage,
    latencyMs: Math.round(performance.now() - started),
    replayed: false,
  };
  if (key) {
    await app.database.db
      .insertInto("tailored_responses")
      .values({ idempotency_key: key, request_hash: requestHash, payload: toJson(response) })
      .onConflict((conflict) => conflict.column("idempotency_key").doNothing())
      .execute();
  }
  return response;
}

async function planWithTypedErrors(
  app: App,
  request: TailoredResponseRequest,
): Promise<TailoringPlan> {
  try {
    return await planTailoring(app, request);
  } catch (error) {
    if (error instanceof InvalidInputError && error.field === "group" && request.group) {
      const grouping = await app.database.db
        .selectFrom("groupings")
        .select(["name", "groups"])
        .where((eb) => (request.grouping ? eb("name", "=", request.grouping) : eb.lit(true)))
        .executeTakeFirst();
      throw new UnknownGroupError(request.group, grouping?.name ?? "", grouping?.groups ?? []);
    }
    throw error;
  }
}

interface ModeChoice {
  mode: UsedMode;
  fallback: string | null;
  model: string | null;
}

/** Resolves AUTO and the fallbacks: FINETUNED without a model, modes that need a known group. */
async function chooseMode(
  app: App,
  requested: GenerationMode,
  plan: TailoringPlan,
): Promise<ModeChoice> {
  if (requested === "AUTO") {
    return { mode: plan.decision.personalize ? "CONTEXT" : "BASE", fallback: null, model: null };
  }
  if (requested === "FINETUNED") {
    const model = plan.group.name
      ? await findGroupModel(app.database.db, plan.grouping, plan.group.name)
      : null;
    if (model) return { mode: "FINETUNED", fallback: null, model: model.model };
    const why = plan.group.name
      ? `no fine-tuned model is registered for group ${plan.group.name}`
      : "the user's group is unknown";
    return {
      ...(await chooseMode(app, "CONTEXT", plan)),
      fallback: `FINETUNED fell back to CONTEXT: ${why}.`,
    };
  }
  if (requested === "CONTEXT" && !plan.decision.personalize) {
    return {
      mode: "BASE",
      fallback: `CONTEXT fell back to BASE: ${plan.decision.explanation}`,
      model: null,
    };
  }
  if ((requested === "PERSONA" || requested === "STATIC") && !plan.group.name) {
    return {
      mode: "BASE",
      fallback: `${requested} fell back to BASE: the user's group is unknown.`,
      model: null,
    };
  }
  return { mode: requested, fallback: null, model: null };
}

function toProviderError(generator: ResponseGenerator, error: unknown): Error {
  if (error instanceof LlmError) {
    const status = (error as { status?: number }).status ?? null;
    return new ProviderError(generator.provider.id, status, error.message, { cause: error });
  }
  if (error instanceof UnavailableError || error instanceof ProviderError) return error;
  if ((error as Error)?.name === "AbortError") return error as Error;
  return new ProviderError(
    generator.provider.id,
    null,
    `LLM provider ${generator.provider.id} failed: ${(error as Error)?.message ?? String(error)}`,
    { cause: error },
  );
}

function hashRequest(request: TailoredResponseRequest): string {
  const { idempotencyKey: _key, ...rest } = request;
  return createHash("sha256").update(JSON.stringify(rest)).digest("hex");
}

export type { ChatMessage };
