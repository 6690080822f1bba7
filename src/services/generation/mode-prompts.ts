import type { App } from "../../app.ts";
import type { ChatMessage } from "../../domain/tailoring/plan.ts";
import { ProviderError } from "../../errors.ts";
import { LlmClient } from "../../llm/llm-client.ts";
import { buildPersonaReplyPrompt } from "../../prompts/persona-baseline.prompt.ts";
import {
  buildCriteriaReplyPrompt,
  buildStaticCriteriaPrompt,
} from "../../prompts/static-criteria-baseline.prompt.ts";
import type { TailoringPlan } from "../tailoring-plan.service.ts";
import type { ResponseGenerator } from "./response-generator.ts";
import type { UsedMode } from "./tailored-response.service.ts";

/** One structured-output client per generator, for the STATIC mode's criteria (cached in the database). */
const criteriaClients = new WeakMap<ResponseGenerator, LlmClient>();

/**
 * Builds the messages a mode sends. CONTEXT sends the plan's (rubric rules as a system
 * message) and BASE the conversation alone. PERSONA adds a system message naming only the group
 * and domain. STATIC first has the model write criteria for the group, then uses them as rules.
 * FINETUNED sends the conversation alone, because the group's model has the preferences in its
 * weights.
 */
export async function buildModeMessages(
  app: App,
  generator: ResponseGenerator,
  mode: UsedMode,
  plan: TailoringPlan,
  conversation: readonly ChatMessage[],
  signal: AbortSignal | undefined,
): Promise<ChatMessage[]> {
  const promptConversation = {
    id: "request",
    messages: conversation.map((message) => ({ ...message })),
  };
  switch (mode) {
    case "CONTEXT":
      return plan.messages;
    case "BASE":
    case "FINETUNED":
      return [...conversation];
    case "PERSONA":
      return buildPersonaReplyPrompt({
        conversation: promptConversation,
        group: plan.group.name!,
        domain: plan.intent.domain,
      }).messages;
    case "STATIC": {
      const criteria = await staticCriteria(
        app,
        generator,
        plan.group.name!,
        plan.intent.domain,
        signal,
      );
      return buildCriteriaReplyPrompt({
        conversation: promptConversation,
        group: plan.group.name!,
        domain: plan.intent.domain,
        criteria,
      }).messages;
    }
  }
}

async function staticCriteria(
  app: App,
  generator: ResponseGenerator,
  group: string,
  domain: string,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  let client = criteriaClients.get(generator);
  if (!client) {
    client = new LlmClient({
      provider: generator.provider,
      ...(generator.defaultModel ? { model: generator.defaultModel } : {}),
      db: app.database.db,
      logger: app.logger,
    });
    criteriaClients.set(generator, client);
  }
  const outcome = await client
    .withScope(signal ? { signal } : {})
    .generate(buildStaticCriteriaPrompt({ group, domain }));
  if (outcome.status !== "ok") {
    throw new ProviderError(
      generator.provider.id,
      null,
      `The model did not return usable criteria for group ${group} (${outcome.status}).`,
    );
  }
  return outcome.value.criteria;
}
