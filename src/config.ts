import path from "node:path";
import { z } from "zod";

/**
 * Every setting Tailor reads from the environment, with its default. The README's
 * configuration table lists the same variables; keep the two in step.
 */
const environmentSchema = z.object({
  TAILOR_HOME: z.string().min(1).default(".tailor"),
  DATABASE_URL: z.string().url().optional(),
  TAILOR_DB_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, "use lower-case letters, digits and underscores")
    .optional(),
  REDIS_URL: z.string().url().optional(),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  TAILOR_CONFIG: z.string().min(1).default("tailor.config.json"),
  TAILOR_QUEUE: z.string().min(1).default("tailor-jobs"),
  TAILOR_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  TAILOR_JOB_LOCK_MS: z.coerce.number().int().min(500).default(30_000),
  TAILOR_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(256 * 1024),
  TAILOR_IMPORT_ROOTS: z.string().default(""),
  TAILOR_MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(512 * 1024 * 1024),
  TAILOR_SSE_HEARTBEAT_MS: z.coerce.number().int().min(1000).default(15_000),
  TAILOR_PLUGIN_TIMEOUT_MS: z.coerce.number().int().min(1).default(5_000),
  TAILOR_LLM_BASE_URL: z.string().url().optional(),
  TAILOR_LLM_API_KEY: z.string().min(1).optional(),
  TAILOR_LLM_MODEL: z.string().min(1).optional(),
  TAILOR_LLM_CONCURRENCY: z.coerce.number().int().min(1).max(256).optional(),
  TAILOR_LLM_PRICES: z
    .string()
    .transform((text, context) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        context.addIssue({ code: "custom", message: "must be JSON" });
        return z.NEVER;
      }
    })
    .pipe(
      z.record(
        z.string(),
        z.strictObject({
          inputPerMillion: z.number().min(0),
          outputPerMillion: z.number().min(0),
        }),
        { message: 'use {"<model>": {"inputPerMillion": USD, "outputPerMillion": USD}}' },
      ),
    )
    .optional(),
  TAILOR_LLM_BUDGET_TOKENS: z.coerce.number().int().min(1).optional(),
});

/**
 * LLM settings from the environment; each overrides the `llm` section of the config file.
 * Unset values are undefined, so the config file or the built-in default applies.
 */
export interface LlmEnvironment {
  /** OpenAI-compatible endpoint; set, it becomes the default provider (id `env`). */
  baseUrl: string | undefined;
  apiKey: string | undefined;
  model: string | undefined;
  /** Provider calls in flight at once, per provider. */
  concurrency: number | undefined;
  /** USD per million tokens by model. */
  prices: Record<string, { inputPerMillion: number; outputPerMillion: number }> | undefined;
  /** Default token budget of one LLM job. */
  budgetTokens: number | undefined;
}

export interface TailorConfig {
  /** Folder for the embedded database and other local state. */
  home: string;
  /** Postgres connection string; unset means the embedded PGlite database under `home`. */
  databaseUrl: string | undefined;
  /** Postgres schema for Tailor's tables; unset means the connection's default (`public`). */
  databaseSchema: string | undefined;
  /** Redis connection string; unset means the in-process job runner and in-memory pubsub. */
  redisUrl: string | undefined;
  host: string;
  port: number;
  logLevel: z.infer<typeof environmentSchema>["LOG_LEVEL"];
  /** Path of the plugin list, `tailor.config.json` by default. */
  configFile: string;
  queueName: string;
  workerConcurrency: number;
  /** BullMQ lock duration: a worker that stops renewing its lock this long is considered dead. */
  jobLockMs: number;
  /** Largest message content accepted by importers, in UTF-8 bytes. */
  maxMessageBytes: number;
  /** Folders that `importConversations(path:)` may read from; empty disables server-side paths. */
  importRoots: string[];
  maxUploadBytes: number;
  sseHeartbeatMs: number;
  pluginTimeoutMs: number;
  llm: LlmEnvironment;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Reads and validates the configuration; an invalid value stops start-up with its name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): TailorConfig {
  const parsed = environmentSchema.safeParse(dropEmpty(env));
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map(
        (issue) =>
          `${issue.path.join(".")}=${JSON.stringify(env[String(issue.path[0])])}: ${issue.message}`,
      )
      .join("; ");
    throw new ConfigError(`Invalid environment: ${problems}. Fix or unset the variable.`);
  }
  const e = parsed.data;
  return {
    home: path.resolve(e.TAILOR_HOME),
    databaseUrl: e.DATABASE_URL,
    databaseSchema: e.TAILOR_DB_SCHEMA,
    redisUrl: e.REDIS_URL,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    configFile: path.resolve(e.TAILOR_CONFIG),
    queueName: e.TAILOR_QUEUE,
    workerConcurrency: e.TAILOR_WORKER_CONCURRENCY,
    jobLockMs: e.TAILOR_JOB_LOCK_MS,
    maxMessageBytes: e.TAILOR_MAX_MESSAGE_BYTES,
    importRoots: e.TAILOR_IMPORT_ROOTS.split(",")
      .map((root) => root.trim())
      .filter((root) => root.length > 0)
      .map((root) => path.resolve(root)),
    maxUploadBytes: e.TAILOR_MAX_UPLOAD_BYTES,
    sseHeartbeatMs: e.TAILOR_SSE_HEARTBEAT_MS,
    pluginTimeoutMs: e.TAILOR_PLUGIN_TIMEOUT_MS,
    llm: {
      baseUrl: e.TAILOR_LLM_BASE_URL,
      apiKey: e.TAILOR_LLM_API_KEY,
      model: e.TAILOR_LLM_MODEL,
      concurrency: e.TAILOR_LLM_CONCURRENCY,
      prices: e.TAILOR_LLM_PRICES,
      budgetTokens: e.TAILOR_LLM_BUDGET_TOKENS,
    },
  };
}

/** Treats `VAR=` like an unset variable, as shells and .env files often leave them. */
function dropEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== "") result[key] = value;
  }
  return result;
}
