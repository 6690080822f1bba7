import type { CallContext, PluginConversation } from "./conversation.ts";
import type { IntentAssignment } from "./schemas.ts";

/**
 * Every intent a classifier may return: domain id → its task ids. Ids are lower-case words
 * joined by hyphens, such as `programming` → `debugging`, `writing-code`.
 */
export type IntentTaxonomy = Readonly<Record<string, readonly string[]>>;

/** Assigns a conversation an intent: a domain and a task within it. */
export interface IntentClassifier {
  /** Identifier, unique among the intent classifiers of all loaded plugins. */
  id: string;
  /** One sentence shown by the `plugins` query and in docs. */
  description: string;
  /** Every domain with its tasks. Read once after `setup`; each domain has at least one task. */
  taxonomy: IntentTaxonomy;
  /**
   * Classifies one conversation, usually from its first user messages. Called once per
   * conversation during labelling and for live requests. Returns a domain and task pair from
   * `taxonomy` with a confidence in [0, 1]. A throw, a timeout or a pair outside `taxonomy`
   * fails this conversation only; the host records the failure.
   */
  classify(
    conversation: PluginConversation,
    context: CallContext,
  ): IntentAssignment | Promise<IntentAssignment>;
}
