import type { ColumnType, Generated, Insertable, Selectable } from "kysely";

/**
 * JSON columns: written as JSON text (`toJson`), read back parsed by both drivers. Text, not
 * objects, because node-postgres would send a JS array as a Postgres array.
 */
type Json<T> = ColumnType<T, string, string>;
type NullableJson<T> = ColumnType<T | null, string | null | undefined, string | null>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type JobStatus = "queued" | "running" | "completed" | "failed" | "cancelled";
export type Judgment = "SAT" | "DSAT" | "NA";

export interface DatasetsTable {
  id: string;
  name: string;
  created_at: Timestamp;
}

export interface JobsTable {
  id: string;
  /** Insertion order, for stable pagination. */
  seq: Generated<number>;
  kind: string;
  status: JobStatus;
  payload: Json<unknown>;
  progress: NullableJson<{ stage: string; done: number; total: number | null }>;
  result: NullableJson<unknown>;
  error: NullableJson<{ code: string; message: string; retryable: boolean }>;
  usage: NullableJson<Record<string, unknown>>;
  attempts: Generated<number>;
  cancel_requested: Generated<boolean>;
  created_at: Timestamp;
  started_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  updated_at: Timestamp;
}

export interface ConversationsTable {
  id: Generated<number>;
  dataset_id: string;
  external_id: string | null;
  content_hash: string;
  source_format: string;
  metadata: Json<Record<string, unknown>>;
  turn_count: number;
  import_job_id: string | null;
  created_at: Timestamp;
}

export interface MessagesTable {
  id: Generated<number>;
  conversation_id: number;
  position: number;
  role: "system" | "user" | "assistant";
  content: string;
  feedback: NullableJson<Record<string, unknown>>;
}

export interface ImportErrorsTable {
  id: Generated<number>;
  job_id: string;
  dataset_id: string;
  /** 1-based line where the record starts, or the parquet row number. */
  line: number;
  /** 0-based index of the element in a JSON array file; 0 for JSONL lines and parquet rows. */
  record: number;
  reason: string;
  created_at: Timestamp;
}

export interface GroupingsTable {
  id: string;
  name: string;
  classifier: string;
  options: Json<Record<string, unknown>>;
  groups: Json<string[]>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface GroupLabelsTable {
  conversation_id: number;
  grouping_id: string;
  group_name: string;
  confidence: number;
  rationale: string | null;
  plugin: string;
  plugin_version: string;
  job_id: string | null;
  created_at: Timestamp;
}

export interface IntentLabelsTable {
  conversation_id: number;
  domain: string;
  task: string;
  confidence: number;
  plugin: string;
  plugin_version: string;
  job_id: string | null;
  created_at: Timestamp;
}

export interface TurnJudgmentsTable {
  message_id: number;
  conversation_id: number;
  judgment: Judgment;
  confidence: number;
  source: "explicit" | "cue" | "no-follow-up" | "llm";
  rationale: string | null;
  plugin: string;
  plugin_version: string;
  job_id: string | null;
  created_at: Timestamp;
}

/** The preference explanation of one SAT or DSAT turn; see migration 20261204_0005_explanations. */
export interface TurnExplanationsTable {
  message_id: number;
  conversation_id: number;
  judgment: "SAT" | "DSAT";
  intent: string;
  expectation: string;
  reason: string;
  /** `llm:<model>`, as in the turn's judgment row. */
  plugin: string;
  plugin_version: string;
  job_id: string | null;
  created_at: Timestamp;
}

export interface LabelFailuresTable {
  id: Generated<number>;
  job_id: string;
  conversation_id: number;
  plugin: string;
  error: string;
  created_at: Timestamp;
}

export interface RubricsTable {
  id: string;
  dataset_id: string;
  grouping_id: string;
  domain: string;
  task: string;
  comparison: string;
  method: "STATISTICAL" | "LLM";
  version: number;
  active: boolean;
  job_id: string | null;
  parameters: Json<Record<string, unknown>>;
  summary: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

export interface RubricAspectsTable {
  id: Generated<number>;
  rubric_id: string;
  aspect: string;
  kept: boolean;
  significance: number;
  description: string;
  preferences: Json<Record<string, unknown>>;
  statistics: Json<Record<string, unknown>>;
  evidence: Json<unknown[]>;
}

export interface ModelsTable {
  id: string;
  grouping_id: string;
  group_name: string;
  provider: string;
  model: string;
  status: string;
  details: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

export interface EvaluationsTable {
  id: string;
  kind: string;
  job_id: string | null;
  parameters: Json<Record<string, unknown>>;
  result: NullableJson<unknown>;
  created_at: Timestamp;
}

/** One cached LLM response; see migration 20261204_0004_llm. */
export interface LlmCacheTable {
  key: string;
  provider: string;
  model: string;
  prompt_id: string | null;
  content: string;
  refusal: string | null;
  finish_reason: string;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  created_at: Timestamp;
}

export interface TailoredResponsesTable {
  idempotency_key: string;
  /** Hash of the request, so a reused key with a different request is rejected. */
  request_hash: string;
  payload: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

export interface Database {
  datasets: DatasetsTable;
  jobs: JobsTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  import_errors: ImportErrorsTable;
  groupings: GroupingsTable;
  group_labels: GroupLabelsTable;
  intent_labels: IntentLabelsTable;
  turn_judgments: TurnJudgmentsTable;
  /** Views: the newest label per conversation (and grouping) or per assistant message. */
  current_group_labels: GroupLabelsTable;
  current_intent_labels: IntentLabelsTable;
  current_turn_judgments: TurnJudgmentsTable;
  turn_explanations: TurnExplanationsTable;
  label_failures: LabelFailuresTable;
  rubrics: RubricsTable;
  rubric_aspects: RubricAspectsTable;
  models: ModelsTable;
  evaluations: EvaluationsTable;
  tailored_responses: TailoredResponsesTable;
  llm_cache: LlmCacheTable;
}

export type JobRow = Selectable<JobsTable>;
export type NewJob = Insertable<JobsTable>;
export type ConversationRow = Selectable<ConversationsTable>;
export type MessageRow = Selectable<MessagesTable>;
export type DatasetRow = Selectable<DatasetsTable>;

/** Encodes a value for a JSON column. */
export function toJson(value: unknown): string {
  return JSON.stringify(value);
}
