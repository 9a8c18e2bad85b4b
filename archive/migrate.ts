/**
 * A small forward-only migration runner: applies `archive/migrations/NNN_name.sql` in order, each
 * once, recording it in `schema_migrations` with a checksum. The same SQL runs on PostgreSQL and
 * on PGlite. Concurrent starters (the API and several workers on one database) are serialised by a
 * transaction-scoped advisory lock, and all pending migrations apply in that one transaction.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Database } from './db';

/** One migration file. */
export interface Migration {
  version: string;
  sql: string;
  checksum: string;
}

/** An arbitrary constant naming the archive's migration lock. */
const MIGRATION_LOCK_ID = 7_310_402_601;

/**
 * Where the .sql files are: beside this module in the sources; from dist/archive the sources'
 * folder two levels up (tsc does not copy .sql files; the image must ship `archive/migrations`).
 */
export function migrationsDir(): string {
  const candidates = [path.join(__dirname, 'migrations'), path.resolve(__dirname, '..', '..', 'archive', 'migrations')];
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new Error(`No archive migrations found (looked in ${candidates.join(', ')})`);
  return found;
}

/** The migrations in `dir`, ordered by file name. */
export function loadMigrations(dir: string = migrationsDir()): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d+_[\w-]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(path.join(dir, file), 'utf8');
      return { version: file.replace(/\.sql$/, ''), sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/**
 * Applies every pending migration; returns the versions applied now. Refuses to run when an
 * applied migration's file has changed (forward-only: write a new migration instead).
 */
export async function migrate(db: Database, migrations: Migration[] = loadMigrations()): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    text PRIMARY KEY,
      checksum   text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await tx.query<{ version: string; checksum: string }>('SELECT version, checksum FROM schema_migrations');
    const applied = new Map(rows.map((r) => [r.version, r.checksum]));
    const done: string[] = [];
    for (const m of migrations) {
      const checksum = applied.get(m.version);
      if (checksum !== undefined) {
        if (checksum !== m.checksum) {
          throw new Error(`Archive migration ${m.version} was changed after it was applied; add a new migration instead`);
        }
        continue;
      }
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)', [m.version, m.checksum]);
      done.push(m.version);
    }
    return done;
  });
}
