import type { CallContext, PluginConversation } from "./conversation.ts";
import type { TurnJudgment } from "./schemas.ts";

/** Judges whether the user was satisfied with each assistant turn of a conversation. */
export interface SatisfactionJudge {
  /** Identifier, unique among the satisfaction judges of all loaded plugins. */
  id: string;
  /** One sentence shown by the `plugins` query and in docs. */
  description: string;
  /**
   * Returns exactly one judgment per assistant message of the conversation, in any order,
   * each naming the message by its index in `conversation.messages`. Explicit feedback on a
   * turn (votes, thumbs) should win over cues in the text. Called once per conversation during
   * labelling. A missing, duplicate or non-assistant index, a throw or a timeout fails this
   * conversation's judgments only; the host records the failure.
   */
  judge(
    conversation: PluginConversation,
    context: CallContext,
  ): TurnJudgment[] | Promise<TurnJudgment[]>;
}
