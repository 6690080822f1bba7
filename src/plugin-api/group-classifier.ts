import type { z } from "zod";
import type { CallContext, PluginConversation } from "./conversation.ts";
import type { GroupAssignment } from "./schemas.ts";

/**
 * A way of assigning conversations to user groups. A grouping ("region", "expertise") names
 * one factory by `id` and gives it options. The host calls `create` once per grouping, so one
 * factory serves many groupings with different options.
 */
export interface GroupClassifierFactory<Options = unknown> {
  /**
   * Identifier that groupings refer to, such as `metadata` or `heuristic-expertise`: lower-case
   * letters, digits, `.`, `_` and `-`, unique among the group classifiers of all loaded plugins.
   */
  id: string;
  /** One sentence shown by the `plugins` query and in docs. */
  description: string;
  /**
   * Validates and fills in a grouping's options. The host parses the options with it before
   * calling `create`, and rejects the grouping with the schema's messages when they are invalid.
   */
  optionsSchema: z.ZodType<Options>;
  /**
   * Builds the classifier for one grouping from parsed options. Called when a grouping is
   * created or updated and when a labelling job starts. A throw rejects the grouping's options
   * with the error's message, so throw for options that the schema cannot check.
   */
  create(options: Options): GroupClassifier;
}

/** The classifier of one grouping, built by `GroupClassifierFactory.create`. */
export interface GroupClassifier {
  /**
   * Every group `classify` may return besides `unknown`: non-empty, unique names. Read once,
   * right after `create`; the grouping stores them.
   */
  groups: readonly string[];
  /**
   * Assigns one conversation to a group. Called once per conversation during labelling and for
   * live requests, possibly for several conversations at once. Returns one of `groups` with a
   * confidence in [0, 1] and an optional rationale, or `unknown` (`UNKNOWN_GROUP`) with the
   * reason as rationale when the conversation gives no evidence. A throw, a timeout or a group
   * that is not declared fails this conversation only; the host records the failure.
   */
  classify(
    conversation: PluginConversation,
    context: CallContext,
  ): GroupAssignment | Promise<GroupAssignment>;
}
