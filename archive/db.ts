/**
 * The archive's database: one small interface over two engines that speak the same SQL dialect,
 * PostgreSQL through a `pg` pool (when a database URL is configured) and PGlite, PostgreSQL compiled
 * to WASM and run in-process (the default, persisted under `<dataDir>/archive`, or in memory for
 * tests). Nothing above this file knows which one it talks to.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Pool, type PoolClient } from 'pg';

/**
 * A statement run often under one name: parsed and planned once per connection, then only bound
 * and executed (a long statement's planning costs more than running it). The name stands for
 * exactly one text.
 */
export interface QueryOptions {
  name?: string;
}

/** What queries and transactions share. `params` are positional ($1, $2, ...). */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<{ rows: T[] }>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly engine: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type OpenDatabaseOptions = {
  /**
   * A schema to create (if missing) and put first on the search path, so that several archives
   * (e.g. test runs) can share one database. Lower-case letters, digits and `_`.
   */
  schema?: string;
} & (
  | { databaseUrl: string }
  | { databaseUrl?: undefined; dataDir: string }
  | { databaseUrl?: undefined; inMemory: true }
);

/** PostgreSQL when `databaseUrl` is set; else PGlite under `<dataDir>/archive`, or in memory. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`Invalid archive schema name "${schema}": use lower-case letters, digits and _`);
  }
  if (options.databaseUrl) return openPostgres(options.databaseUrl, schema);
  const dataDir = 'dataDir' in options ? path.join(options.dataDir, 'archive') : undefined;
  return openPglite(dataDir, schema);
}

async function openPostgres(databaseUrl: string, schema: string | undefined): Promise<Database> {
  const pool = new Pool({
    connectionString: databaseUrl,
    // Every pooled connection gets the schema first on its search path.
    ...(schema ? { options: `-c search_path=${schema},public` } : {}),
    max: 10,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', (err) => console.error('archive: idle PostgreSQL connection failed:', err.message));
  try {
    if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    else await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new Error(`Cannot open the archive database at ${redact(databaseUrl)}: ${(err as Error).message}`);
  }
  const on = (client: Pool | PoolClient): Queryable => ({
    async query<T>(sql: string, params?: readonly unknown[], options?: QueryOptions) {
      const values = params as unknown[] | undefined;
      // pg prepares a named statement on each pooled connection the first time it runs there.
      const result = options?.name ? await client.query({ name: options.name, text: sql, values }) : await client.query(sql, values);
      return { rows: result.rows as T[] };
    },
    async exec(sql: string) {
      // Without parameters pg uses the simple query protocol, which accepts several statements.
      await client.query(sql);
    },
  });
  return {
    engine: 'postgres',
    ...on(pool),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(on(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/**
 * PGlite runs in a worker thread: its queries are synchronous WebAssembly calls that would
 * otherwise stall this thread's event loop (the Temporal worker's heartbeats, the API), and its
 * module loads itself with dynamic `import()`, which only a plain Node module loader supports.
 * The thread answers `{ op, sql, params }` messages; it keeps the process alive only while a
 * request is in flight.
 */
const pgliteThread = `
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite, protocol, parse } = require(workerData.pglitePath);
const { serialize } = protocol;
const opening = PGlite.create(workerData.dataDir ? { dataDir: workerData.dataDir } : {});
// Named statements, as pg keeps them per connection: parsed once (PGlite's query parses, plans
// and describes every time), then bound and executed with the parameters as text.
const prepared = new Map();
const asText = (v) => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v));
async function runNamed(db, name, sql, params) {
  return db.runExclusive(async () => {
    const messages = [];
    const send = async (m) => messages.push(...(await db.execProtocol(m, { syncToFs: false })).messages);
    let failed = false;
    try {
      if (prepared.get(name) !== sql) {
        if (prepared.has(name)) await send(serialize.close({ type: 'S', name }));
        prepared.delete(name);
        await send(serialize.parse({ name, text: sql }));
        prepared.set(name, sql);
      }
      await send(serialize.bind({ statement: name, values: (params || []).map(asText) }));
      await send(serialize.describe({ type: 'P' }));
      await send(serialize.execute({}));
    } catch (err) {
      failed = true;
      throw err;
    } finally {
      // Sync ends the statement (after an error, the skipping of the rest). A failed statement is
      // dropped and parsed again next time (a changed schema can invalidate it).
      await db.execProtocol(serialize.sync(), { syncToFs: false }).catch(() => undefined);
      if (failed) {
        prepared.delete(name);
        await db.execProtocol(serialize.close({ type: 'S', name }), { syncToFs: false }).catch(() => undefined);
        await db.execProtocol(serialize.sync(), { syncToFs: false }).catch(() => undefined);
      }
    }
    await db.syncToFs();
    return parse.parseResults(messages, db.parsers)[0];
  });
}
opening.then(
  () => parentPort.postMessage({ id: 0, ok: true }),
  (err) => parentPort.postMessage({ id: 0, ok: false, error: { message: String((err && err.message) || err) } }),
);
parentPort.on('message', async (msg) => {
  try {
    const db = await opening;
    let result = null;
    if (msg.op === 'query') result = { rows: (msg.name ? await runNamed(db, msg.name, msg.sql, msg.params) : await db.query(msg.sql, msg.params)).rows };
    else if (msg.op === 'exec') await db.exec(msg.sql);
    else if (msg.op === 'close') await db.close();
    parentPort.postMessage({ id: msg.id, ok: true, result });
    if (msg.op === 'close') parentPort.close();
  } catch (err) {
    const e = err || {};
    parentPort.postMessage({ id: msg.id, ok: false, error: { message: String(e.message || e), code: e.code, detail: e.detail, position: e.position } });
  }
});
`;

type ThreadReply = { id: number; ok: boolean; result?: { rows: unknown[] } | null; error?: { message: string; code?: string; detail?: string } };

async function openPglite(dataDir: string | undefined, schema: string | undefined): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const worker = new Worker(pgliteThread, { eval: true, workerData: { dataDir, pglitePath: require.resolve('@electric-sql/pglite') } });
  const pending = new Map<number, { resolve: (r: ThreadReply) => void }>();
  let nextId = 1;
  let exited: Error | undefined;
  const settle = (reply: ThreadReply) => {
    const p = pending.get(reply.id);
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref();
    p?.resolve(reply);
  };
  worker.on('message', settle);
  worker.on('error', (err) => (exited = err));
  worker.on('exit', (code) => {
    exited ??= new Error(`the PGlite thread exited (code ${code})`);
    for (const id of [...pending.keys()]) settle({ id, ok: false, error: { message: exited.message } });
  });
  const call = async (op: 'query' | 'exec' | 'close', sql?: string, params?: readonly unknown[], name?: string, id = nextId++): Promise<{ rows: unknown[] } | null> => {
    if (exited) throw new Error(`The archive database is closed: ${exited.message}`);
    const reply = await new Promise<ThreadReply>((resolve) => {
      pending.set(id, { resolve });
      worker.ref();
      if (id !== 0) worker.postMessage({ id, op, sql, name, params: params ? [...params] : undefined });
    });
    if (!reply.ok) throw Object.assign(new Error(reply.error?.message ?? 'PGlite failed'), { code: reply.error?.code, detail: reply.error?.detail });
    return reply.result ?? null;
  };
  try {
    await call('query', undefined, undefined, undefined, 0); // waits for the thread's "ready"
  } catch (err) {
    await worker.terminate();
    throw new Error(`Cannot open the embedded archive database${dataDir ? ` in ${dataDir}` : ''}: ${(err as Error).message}`);
  }
  // One PGlite session: a transaction must not interleave with other callers' statements, so
  // every statement and every whole transaction takes its turn.
  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
  const direct: Queryable = {
    async query<T>(sql: string, params?: readonly unknown[], options?: QueryOptions) {
      const result = await call('query', sql, params, options?.name);
      return { rows: (result?.rows ?? []) as T[] };
    },
    async exec(sql: string) {
      await call('exec', sql);
    },
  };
  // PGlite is one connection: setting the search path once holds for every later query.
  if (schema) await direct.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema}, public;`);
  return {
    engine: 'pglite',
    query: (sql, params, options) => exclusive(() => direct.query(sql, params, options)),
    exec: (sql) => exclusive(() => direct.exec(sql)),
    // Statements inside `fn` must go through `tx`: `db.query` would wait for the transaction.
    transaction: (fn) =>
      exclusive(async () => {
        await direct.exec('BEGIN');
        try {
          const result = await fn(direct);
          await direct.exec('COMMIT');
          return result;
        } catch (err) {
          await direct.exec('ROLLBACK').catch(() => undefined);
          throw err;
        }
      }),
    close: () =>
      exclusive(async () => {
        if (exited) return;
        await call('close').catch(() => undefined);
        exited = new Error('closed');
        await worker.terminate();
      }),
  };
}

/** The URL without its password, for messages. */
export function redact(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable database URL)';
  }
}
