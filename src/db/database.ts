import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, type Migration, type MigrationProvider, Migrator, PostgresDialect } from "kysely";
import pg from "pg";
import { migrations } from "../../migrations/index.ts";
import { PGliteDialect } from "./pglite-dialect.ts";
import type { Database } from "./tables.ts";

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  /** `pglite` for the embedded default, `postgres` with DATABASE_URL. */
  dialect: "pglite" | "postgres";
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Postgres connection string; without it the embedded PGlite database is used. */
  databaseUrl?: string | undefined;
  /** PGlite data folder; `memory://` keeps it in memory (tests). */
  pgliteDataDir?: string;
  /** Postgres schema to use instead of `public`; tests use one per file. */
  schema?: string;
}

const INT8_OID = 20;

/** Opens the database and brings it to the latest migration. */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const handle = options.databaseUrl
    ? await openPostgres(options.databaseUrl, options.schema)
    : await openPglite(options.pgliteDataDir ?? "memory://");
  try {
    await migrateToLatest(handle.db, options.databaseUrl ? options.schema : undefined);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

async function openPostgres(
  databaseUrl: string,
  schema: string | undefined,
): Promise<DatabaseHandle> {
  // bigint ids fit in a double for any table this service will hold (2^53 rows).
  pg.types.setTypeParser(INT8_OID, (value) => Number(value));
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  if (schema) {
    const client = await pool.connect();
    try {
      await client.query(`create schema if not exists "${schema.replaceAll('"', "")}"`);
    } finally {
      client.release();
    }
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: "postgres", close: () => db.destroy() };
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  if (!dataDir.startsWith("memory://")) await mkdir(path.dirname(dataDir), { recursive: true });
  const client = new PGlite(dataDir, {
    parsers: { [INT8_OID]: (value: string) => Number(value) },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  return { db, dialect: "pglite", close: () => db.destroy() };
}

class StaticMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

export async function migrateToLatest(db: Db, schema?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: new StaticMigrationProvider(),
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === "Error");
  if (error) {
    const name = failed ? ` (${failed.migrationName})` : "";
    throw new Error(`Database migration failed${name}: ${String(error)}`, { cause: error });
  }
}
