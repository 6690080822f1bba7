import { createHash } from "node:crypto";
import type { Db } from "../db/database.ts";
import type { ChatRequest, ChatResponse } from "../plugin-api/index.ts";

/**
 * Key of a request in the response cache: SHA-256 over the normalized request. Normalized
 * means fixed field order, defaults written out (so an omitted temperature and an explicit
 * default give one key) and CRLF line ends turned into LF. A format version leads the key
 * text, so a change of normalization never returns an old entry for a new request.
 */
export function cacheKey(provider: string, request: ChatRequest): string {
  const normalized = {
    format: 1,
    provider,
    model: request.model,
    messages: request.messages.map((message) => ({
      role: message.role,
      content: message.content.replace(/\r\n/g, "\n"),
    })),
    temperature: request.temperature ?? null,
    maxTokens: request.maxTokens ?? null,
    json: request.json ?? false,
  };
  return createHash("sha256").update(JSON.stringify(normalized)).digest("hex");
}

/**
 * Provider responses stored in `llm_cache`, so a re-run of the same work makes no provider
 * call. Every response the provider returned is stored, truncated and refused ones too: a
 * re-run then takes the same path through them. Failed calls (errors) are never stored.
 */
export class ResponseCache {
  constructor(private readonly db: Db) {}

  async get(key: string): Promise<ChatResponse | undefined> {
    const row = await this.db
      .selectFrom("llm_cache")
      .selectAll()
      .where("key", "=", key)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      content: row.content,
      finishReason: row.finish_reason as ChatResponse["finishReason"],
      usage:
        row.prompt_tokens === null || row.completion_tokens === null
          ? null
          : { promptTokens: row.prompt_tokens, completionTokens: row.completion_tokens },
      refusal: row.refusal,
    };
  }

  /** Stores a response; an existing entry for the key wins (two runs raced to the same call). */
  async put(
    key: string,
    entry: {
      provider: string;
      model: string;
      promptId: string | undefined;
      response: ChatResponse;
    },
  ): Promise<void> {
    const { response } = entry;
    await this.db
      .insertInto("llm_cache")
      .values({
        key,
        provider: entry.provider,
        model: entry.model,
        prompt_id: entry.promptId ?? null,
        content: response.content,
        refusal: response.refusal ?? null,
        finish_reason: response.finishReason,
        prompt_tokens: response.usage?.promptTokens ?? null,
        completion_tokens: response.usage?.completionTokens ?? null,
      })
      .onConflict((conflict) => conflict.column("key").doNothing())
      .execute();
  }
}
