/**
 * The `ComplaintArchive` port over the complaint record store (archive/store.ts): PostgreSQL when a
 * database URL is configured, else PGlite persisted under `<dataDir>/archive`. The database is
 * opened (and migrated) on the first write, not at construction, so building the ports does no I/O.
 */
import { ApplicationFailure } from '@temporalio/common';
import { InvalidArchiveRecord, ComplaintRecordStore } from '../../archive/store';
import type { ComplaintArchive, PersonalDataRetention } from '../ports';
import { CustomerHasOpenComplaints } from '../../archive/customer-keys';
import type { CustomerDataKeys, PayloadKeyRing } from '../../config/payload-codec';

/** Where the archive lives, and the master key ring that wraps the customers' data keys in it. */
export interface ArchiveStoreConfig {
  databaseUrl?: string;
  dataDir: string;
  payloadKeyRing?: PayloadKeyRing;
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
        opening = ComplaintRecordStore.open(options, config.payloadKeyRing).catch((err: unknown) => {
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
 * The customers' data keys of a store opened on first use, for the payload codec: a worker starts
 * polling with the database away, and its complaints' tasks retry until it answers.
 */
export function lazyCustomerKeys(store: LazyRecordStore): CustomerDataKeys {
  return {
    async forWorkflow(workflowId) {
      if (!workflowId.startsWith('complaint-')) return undefined;
      return (await store.get()).customerKeys?.forWorkflow(workflowId);
    },
    async byId(keyId) {
      return (await store.get()).customerKeys?.byId(keyId);
    },
  };
}

/** The retention port over the store's customer keys (absent keys: a clear refusal). */
export function createStoreRetention(store: ComplaintRecordStore | LazyRecordStore): PersonalDataRetention {
  const keys = async () => {
    const opened = store instanceof ComplaintRecordStore ? store : await store.get();
    if (!opened.customerKeys) throw ApplicationFailure.nonRetryable('The archive keeps no customer keys (opened without the payload key ring)', 'CustomerKeysMissing');
    return opened.customerKeys;
  };
  return {
    async pastRetention(closedBefore, limit, afterRef) {
      return (await keys()).pastRetention(new Date(closedBefore), limit, afterRef);
    },
    async erase(customerRef, reason, isStarted) {
      try {
        const done = await (await keys()).erase({ customerRef, requestedBy: 'retention-schedule', basis: 'retention', reason, isStarted });
        return done ? 'erased' : 'gone';
      } catch (err) {
        if (err instanceof CustomerHasOpenComplaints) return 'open';
        throw err;
      }
    },
  };
}

/**
 * Whether a database error is about the data, not the database: PostgreSQL's SQLSTATE classes 22
 * (data exception: a NUL or a lone surrogate in text, a date out of range, ...) and 23 (integrity
 * constraint violation), and the RangeError/TypeError of a value that does not convert (an invalid
 * date). The same record fails the same way on every attempt.
 */
export function isDataError(err: unknown): boolean {
  if (err instanceof RangeError || err instanceof TypeError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code);
}

/**
 * The archive port. A record the archive cannot file (`InvalidArchiveRecord`, or a data error of
 * the database: see `isDataError`) is a non-retryable `ArchiveRecordInvalid` failure; any other
 * error (the database is down, a connection dropped) is thrown as it is, and Temporal retries the
 * activity (the store's upsert keeps one record).
 */
export function createStoreArchive(store: ComplaintRecordStore | LazyRecordStore): ComplaintArchive {
  const resolve = () => (store instanceof ComplaintRecordStore ? Promise.resolve(store) : store.get());
  return {
    async archive(record) {
      try {
        await (await resolve()).save(record);
      } catch (err) {
        if (err instanceof InvalidArchiveRecord) throw ApplicationFailure.nonRetryable(err.message, 'ArchiveRecordInvalid');
        if (isDataError(err)) {
          const code = (err as { code?: unknown }).code;
          throw ApplicationFailure.nonRetryable(
            `archive record ${record.idempotencyKey}: ${(err as Error).message}${typeof code === 'string' ? ` (SQLSTATE ${code})` : ''}`,
            'ArchiveRecordInvalid',
          );
        }
        throw err;
      }
    },
  };
}
