// Opens (or creates) a timenode SQLite database: WAL mode, schema migrated to the current version after a
// backup copy of an older file; a file from a newer timenode is refused, never downgraded.
import { copyFileSync, existsSync } from "node:fs";
import Database from "better-sqlite3";
import { MIGRATIONS, type Migration } from "./schema.ts";

export type Db = Database.Database;

export class StoreError extends Error {}

export interface OpenedStore {
  db: Db;
  path: string;
  /** Set when an older schema was migrated: where the copy of the file from before is. */
  backupPath: string | null;
  migratedFrom: number | null;
}

function describeOpenError(path: string, error: unknown): StoreError {
  const code = (error as { code?: string }).code ?? "";
  const message = error instanceof Error ? error.message : String(error);
  if (code === "SQLITE_CANTOPEN" || /directory does not exist/.test(message))
    return new StoreError(
      `cannot open database ${path}: the folder must exist and be writable (${message}); pick another --db path`,
    );
  if (code === "SQLITE_NOTADB")
    return new StoreError(`${path} is not an SQLite database; pick another --db path`);
  return new StoreError(`cannot open database ${path}: ${message}`);
}

function userVersion(db: Db): number {
  return db.pragma("user_version", { simple: true }) as number;
}

function migrate(db: Db, from: number, migrations: readonly Migration[]): void {
  for (const migration of migrations) {
    if (migration.version <= from) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}

export interface OpenOptions {
  readonly?: boolean;
  /** The schema's history (tests pass a longer one to exercise a migration). */
  migrations?: readonly Migration[];
  /**
   * "full" (default) makes every commit durable before the collector acknowledges it, so the board may
   * forget it: a host power cut then loses nothing. "normal" skips that sync, for stores that can be
   * rebuilt (the virtual lab's).
   */
  synchronous?: "full" | "normal";
}

export function openStore(path: string, options: OpenOptions = {}): OpenedStore {
  const readonly = options.readonly ?? false;
  const migrations = options.migrations ?? MIGRATIONS;
  const schemaVersion = migrations.length;
  if (readonly && !existsSync(path))
    throw new StoreError(
      `database ${path} does not exist; collect into it first (timenode collect --db ${path})`,
    );
  let db: Db;
  let version: number;
  try {
    db = new Database(path, { readonly, fileMustExist: readonly });
    version = userVersion(db);
  } catch (error) {
    throw describeOpenError(path, error);
  }
  if (version > schemaVersion) {
    db.close();
    throw new StoreError(
      `database ${path} has schema version ${version}, newer than this timenode's ${schemaVersion}; ` +
        `upgrade timenode to read it`,
    );
  }
  if (version < schemaVersion && readonly) {
    db.close();
    throw new StoreError(
      `database ${path} has schema version ${version}; open it once with timenode collect to migrate it to ${schemaVersion}`,
    );
  }
  let backupPath: string | null = null;
  let migratedFrom: number | null = null;
  if (!readonly) {
    db.pragma("journal_mode = WAL");
    db.pragma(`synchronous = ${options.synchronous === "normal" ? "NORMAL" : "FULL"}`);
    // Checkpoints (which fsync) every ~40 MB of WAL rather than every 4 MB: a collector's writes are
    // bursts of small rows, and fewer, larger checkpoints keep their latency off the ingest path.
    db.pragma("wal_autocheckpoint = 10000");
    db.pragma("foreign_keys = ON");
    db.pragma("busy_timeout = 5000");
    if (version > 0 && version < schemaVersion) {
      db.pragma("wal_checkpoint(TRUNCATE)");
      backupPath = `${path}.v${version}.bak`;
      copyFileSync(path, backupPath);
      migratedFrom = version;
    }
    if (version < schemaVersion) migrate(db, version, migrations);
  }
  return { db, path, backupPath, migratedFrom };
}
