import type { z } from "zod";
import type {
  AspectDeclaration,
  GroupAssignment,
  IntentAssignment,
  TurnJudgment,
} from "./schemas.ts";

/** A message as plugins see it. */
export interface PluginMessage {
  role: "system" | "user" | "assistant";
  content: string;
  /** Explicit feedback the source recorded on this turn (votes, rank, thumbs), if any. */
  feedback?: Readonly<Record<string, unknown>> | null;
}

/** A conversation as plugins see it. Read-only: plugins never change stored data. */
export interface PluginConversation {
  /** Stable id within Tailor; opaque to plugins. */
  id: string;
  messages: readonly PluginMessage[];
  /** Source metadata such as country, state, language, model, timestamp. */
  metadata: Readonly<Record<string, unknown>>;
}

/** Passed to every capability call. */
export interface CallContext {
  /** Aborted when the call times out or the job is cancelled; pass it to any I/O. */
  signal: AbortSignal;
}

export interface PluginLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * A way of assigning conversations to user groups. One grouping ("region", "expertise")
 * names a classifier and its options; the host calls `create` once per grouping.
 */
export interface GroupClassifierFactory<Options = unknown> {
  /** Identifier used in groupings, e.g. `metadata` or `heuristic-expertise`. */
  id: string;
  /** One sentence for the `plugins` query and docs. */
  description: string;
  /** Validates a grouping's options; the host rejects the grouping with its message. */
  optionsSchema: z.ZodType<Options>;
  /**
   * Builds the classifier for one grouping. Called when a grouping is created or updated and
   * when a labelling job starts. Throwing rejects the grouping's options with the message.
   */
  create(options: Options): GroupClassifier;
}

export interface GroupClassifier {
  /** Every group `classify` may return, besides `unknown`. */
  groups: readonly string[];
  /**
   * Assigns one conversation to a group. Called once per conversation during labelling and
   * for live requests. Returns one of `groups`, or `unknown` with the reason as rationale.
   * A throw, a timeout or an undeclared group fails this conversation only.
   */
  classify(conversation: PluginConversation, context: CallContext): GroupAssignment | Promise<GroupAssignment>;
}

/** Assigns a conversation an intent: a domain and a task within it. */
export interface IntentClassifier {
  id: string;
  description: string;
  /** Every domain with its tasks; `classify` returns only these pairs. */
  taxonomy: Readonly<Record<string, readonly string[]>>;
  /**
   * Classifies one conversation, usually from its first user messages. A throw, a timeout or
   * a pair outside `taxonomy` fails this conversation only.
   */
  classify(conversation: PluginConversation, context: CallContext): IntentAssignment | Promise<IntentAssignment>;
}

/** Judges whether the user was satisfied with each assistant turn. */
export interface SatisfactionJudge {
  id: string;
  description: string;
  /**
   * Returns one judgment per assistant message of the conversation, in any order. Explicit
   * feedback on a turn should win over cues. A missing or duplicate assistant index, or a
   * throw, fails this conversation's judgments only.
   */
  judge(conversation: PluginConversation, context: CallContext): TurnJudgment[] | Promise<TurnJudgment[]>;
}

/** An assistant reply as aspect detectors see it. */
export interface DetectorInput {
  /** The reply text. */
  content: string;
  /** The user message it answered, for aspects relative to the request (e.g. echoing it). */
  request: string;
}

/**
 * Measures aspects of assistant replies for the statistical rubric method. One detector may
 * declare several binary aspects (for example length buckets).
 */
export interface AspectDetector {
  id: string;
  /** The aspects `detect` reports; names are unique across all loaded detectors. */
  aspects: readonly AspectDeclaration[];
  /**
   * Tells which declared aspects the reply shows. Called once per rated assistant turn; must be
   * fast and pure (no I/O). Aspects left out count as absent. A throw skips this reply for
   * this detector only.
   */
  detect(reply: DetectorInput): Record<string, boolean>;
}

/** A chat request in the OpenAI message format. */
export interface ChatRequest {
  model: string;
  messages: { role: "system" | "user" | "assistant"; content: string }[];
  temperature?: number;
  maxTokens?: number;
  /** Ask for a JSON object; providers that cannot enforce it may ignore it. */
  json?: boolean;
}

export interface ChatResponse {
  content: string;
  /** `length` means the reply was cut off by the token budget. */
  finishReason: "stop" | "length" | "content_filter" | "other";
  /** Token counts; null when the provider did not report them. */
  usage: { promptTokens: number; completionTokens: number } | null;
}

/** Contract only in API v1: an LLM endpoint. */
export interface LlmProvider {
  id: string;
  description: string;
  /** Sends one chat request. Throws on transport and HTTP errors with the status in `status`. */
  chat(request: ChatRequest, context: CallContext): Promise<ChatResponse>;
  /** Streams the reply text; the last value carries finish reason and usage. */
  stream?(request: ChatRequest, context: CallContext): AsyncIterable<{ delta: string } | ChatResponse>;
}

export interface TrainingSpec {
  /** Stable id derived from the Tailor job, so a retried job never submits twice. */
  submissionId: string;
  baseModel: string;
  datasetPath: string;
  hyperparameters: Readonly<Record<string, unknown>>;
}

export interface TrainingStatus {
  state: "pending" | "running" | "succeeded" | "failed" | "stopped";
  message?: string;
  /** Where the trained model can be served from, once `succeeded`. */
  artifact?: string;
}

/** Contract only in API v1: a remote fine-tuning backend such as a Ray cluster. */
export interface Trainer {
  id: string;
  description: string;
  /** Submits a training run; submitting an existing `submissionId` again must not start a second run. */
  submit(spec: TrainingSpec, context: CallContext): Promise<TrainingStatus>;
  status(submissionId: string, context: CallContext): Promise<TrainingStatus>;
  /** Stops a run and returns its confirmed terminal status. */
  stop(submissionId: string, context: CallContext): Promise<TrainingStatus>;
}
