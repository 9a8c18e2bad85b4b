/**
 * The `ComplaintArchive` port over the complaint record store (archive/store.ts): PostgreSQL when a
 * database URL is configured, else PGlite persisted under `<dataDir>/archive`. The database is
 * opened (and migrated) on the first write, not at construction, so building the ports does no I/O.
 */
import { ApplicationFailure } from '@temporalio/common';
import { InvalidArchiveRecord, ComplaintRecordStore } from '../../archive/store';
import type { ComplaintArchive } from '../ports';

/** Where the archive lives. */
export interface ArchiveStoreConfig {
  databaseUrl?: string;
  dataDir: string;
}

/** A store opened once, on first use; `close` closes it if it was opened. */
export interface LazyRecordStore {
  get(): Promise<ComplaintRecordStore>;
  close(): Promise<void>;
}

/** Opens the record store on first `get()`; a failed open is retried on the next call. */
export function lazyRecordStore(config: ArchiveStoreConfig): LazyRecordStore {
  let opening: Promise<ComplaintRecordStore> | undefined;
  return {
    get() {
      if (!opening) {
        const options = config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir };
        opening = ComplaintRecordStore.open(options).catch((err: unknown) => {
          opening = undefined;
          throw err;
        });
      }
      return opening;
    },
    async close() {
      const store = await opening?.catch(() => undefined);
      opening = undefined;
      await store?.close();
    },
  };
}

/**
 * The archive port. Database errors are thrown as they are (Temporal retries the activity, and the
 * store's upsert keeps one record); a record the archive cannot file is a non-retryable
 * `ArchiveRecordInvalid` failure.
 */
export function createStoreArchive(store: ComplaintRecordStore | LazyRecordStore): ComplaintArchive {
  const resolve = () => (store instanceof ComplaintRecordStore ? Promise.resolve(store) : store.get());
  return {
    async archive(record) {
      try {
        await (await resolve()).save(record);
      } catch (err) {
        if (err instanceof InvalidArchiveRecord) throw ApplicationFailure.nonRetryable(err.message, 'ArchiveRecordInvalid');
        throw err;
      }
    },
  };
}
