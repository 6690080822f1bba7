import {
  type AspectDeclaration,
  type AspectDetector,
  checkAspectValues,
  checkGroupAssignment,
  checkIntentAssignment,
  checkTurnJudgments,
  type DetectorInput,
  type GroupAssignment,
  type GroupClassifier,
  type IntentAssignment,
  type IntentClassifier,
  type IntentTaxonomy,
  type PluginConversation,
  type SatisfactionJudge,
  type TurnJudgment,
} from "../plugin-api/index.ts";
import { guardCall, guardSyncCall } from "./call-guard.ts";
import type { CapabilitySource, PluginResult } from "./plugin-result.ts";

/**
 * Capabilities as callers see them: each call validated, timed out and turned into a
 * `PluginResult`, so that a plugin fault never throws into the caller.
 */

/** Identity of a capability: its id, and the name and version of its plugin. */
export interface HostedIdentity {
  /** Capability id, as groupings and defaults name it. */
  readonly id: string;
  readonly plugin: string;
  readonly version: string;
}

/** A group classifier factory that groupings may use. */
export interface GroupClassifierInfo extends HostedIdentity {
  readonly description: string;
}

/** The classifier of one grouping, built by `PluginHost.createGroupClassifier`. */
export interface HostedGroupClassifier extends HostedIdentity {
  /** The declared groups, without `unknown`; store them with the grouping. */
  readonly groups: readonly string[];
  /** The options after the factory's schema filled in defaults. */
  readonly options: unknown;
  /** Classifies one conversation; the result's group is a declared group or `unknown`. */
  classify(
    conversation: PluginConversation,
    signal?: AbortSignal,
  ): Promise<PluginResult<GroupAssignment>>;
}

export interface HostedIntentClassifier extends HostedIdentity {
  readonly description: string;
  /** Domain → tasks, copied when the plugin registered; results always come from it. */
  readonly taxonomy: IntentTaxonomy;
  classify(
    conversation: PluginConversation,
    signal?: AbortSignal,
  ): Promise<PluginResult<IntentAssignment>>;
}

export interface HostedSatisfactionJudge extends HostedIdentity {
  readonly description: string;
  /** Judges every assistant turn; a success contains one judgment per assistant message. */
  judge(
    conversation: PluginConversation,
    signal?: AbortSignal,
  ): Promise<PluginResult<TurnJudgment[]>>;
}

export interface HostedAspectDetector extends HostedIdentity {
  readonly aspects: readonly AspectDeclaration[];
  /**
   * Detects aspects of one reply, synchronously. A success maps every declared aspect to a
   * boolean (aspects the plugin left out are `false`).
   */
  detect(reply: DetectorInput): PluginResult<Record<string, boolean>>;
}

function conversationItem(conversation: PluginConversation): string {
  return `conversation ${JSON.stringify(conversation.id)}`;
}

function identity(source: CapabilitySource): HostedIdentity {
  return { id: source.capability, plugin: source.plugin, version: source.version };
}

export function hostGroupClassifier(
  classifier: GroupClassifier,
  groups: readonly string[],
  options: unknown,
  source: CapabilitySource,
  timeoutMs: number,
): HostedGroupClassifier {
  return {
    ...identity(source),
    groups,
    options,
    classify: (conversation, signal) =>
      guardCall({
        kind: "groupClassifier",
        source,
        item: conversationItem(conversation),
        timeoutMs,
        signal,
        call: (callSignal) => classifier.classify(conversation, { signal: callSignal }),
        check: (output) => checkGroupAssignment(output, groups),
      }),
  };
}

export function hostIntentClassifier(
  classifier: IntentClassifier,
  source: CapabilitySource,
  timeoutMs: number,
): HostedIntentClassifier {
  const taxonomy = copyTaxonomy(classifier.taxonomy);
  return {
    ...identity(source),
    description: classifier.description,
    taxonomy,
    classify: (conversation, signal) =>
      guardCall({
        kind: "intentClassifier",
        source,
        item: conversationItem(conversation),
        timeoutMs,
        signal,
        call: (callSignal) => classifier.classify(conversation, { signal: callSignal }),
        check: (output) => checkIntentAssignment(output, taxonomy),
      }),
  };
}

export function hostSatisfactionJudge(
  judge: SatisfactionJudge,
  source: CapabilitySource,
  timeoutMs: number,
): HostedSatisfactionJudge {
  return {
    ...identity(source),
    description: judge.description,
    judge: (conversation, signal) =>
      guardCall({
        kind: "satisfactionJudge",
        source,
        item: conversationItem(conversation),
        timeoutMs,
        signal,
        call: (callSignal) => judge.judge(conversation, { signal: callSignal }),
        check: (output) => checkTurnJudgments(output, conversation),
      }),
  };
}

export function hostAspectDetector(
  detector: AspectDetector,
  source: CapabilitySource,
  timeoutMs: number,
): HostedAspectDetector {
  const aspects = Object.freeze(detector.aspects.map((aspect) => Object.freeze({ ...aspect })));
  return {
    ...identity(source),
    aspects,
    detect: (reply) =>
      guardSyncCall({
        kind: "aspectDetector",
        source,
        item: "a reply",
        timeoutMs,
        call: () => detector.detect(reply),
        check: (output) => checkAspectValues(output, aspects),
      }),
  };
}

function copyTaxonomy(taxonomy: IntentTaxonomy): IntentTaxonomy {
  const copy: Record<string, readonly string[]> = {};
  for (const [domain, tasks] of Object.entries(taxonomy)) copy[domain] = Object.freeze([...tasks]);
  return Object.freeze(copy);
}
