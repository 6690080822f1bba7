import { randomUUID } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pino } from "pino";
import { type App, type AppOptions, createApp } from "../../src/app.ts";
import { loadConfig, type TailorConfig } from "../../src/config.ts";

export const POSTGRES_URL =
  process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export type Backend = "pglite" | "postgres";
export const BACKENDS: Backend[] = ["pglite", "postgres"];

export interface TestAppOptions {
  backend?: Backend;
  /** Run jobs through BullMQ on the local Redis, with a queue unique to this app. */
  redis?: boolean;
  role?: "api" | "worker";
  env?: Record<string, string>;
  /** Reuse a Postgres schema (to share one database between an API and a worker app). */
  schema?: string;
  queue?: string;
  extraJobs?: AppOptions["extraJobs"];
}

export interface TestApp extends App {
  schema: string | undefined;
}

/**
 * A real app for a test: PGlite in memory, or a fresh schema in the local Postgres, and
 * optionally a uniquely named BullMQ queue on the local Redis.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const backend = options.backend ?? "pglite";
  const home = await mkdtemp(path.join(os.tmpdir(), "tailor-test-"));
  const schema =
    backend === "postgres"
      ? (options.schema ?? `test_${randomUUID().replaceAll("-", "")}`)
      : undefined;
  const config = testConfig({
    TAILOR_HOME: home,
    ...(backend === "postgres" ? { DATABASE_URL: POSTGRES_URL } : {}),
    ...(options.redis
      ? { REDIS_URL: REDIS_URL, TAILOR_QUEUE: options.queue ?? `test-${randomUUID()}` }
      : {}),
    ...options.env,
  });
  const app = await createApp(config, {
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }),
    ...(backend === "pglite" ? { pgliteDataDir: "memory://" } : {}),
    ...(schema ? { databaseSchema: schema } : {}),
    role: options.role ?? "worker",
    ...(options.extraJobs ? { extraJobs: options.extraJobs } : {}),
  });
  return Object.assign(app, { schema });
}

export function testConfig(env: Record<string, string> = {}): TailorConfig {
  return loadConfig({
    LOG_LEVEL: "silent",
    TAILOR_CONFIG: path.join(os.tmpdir(), "tailor-no-config.json"),
    ...env,
  });
}

/** Absolute path of a file in the shared real-data folder. */
export function realData(relative: string): string {
  return path.resolve(import.meta.dirname, "../../../shared/data", relative);
}
