/**
 * After a master key rotation (`PAYLOAD_ACTIVE_KEY` now names the new key), wraps every customer's
 * data key under it (`npm run rewrap-customer-keys`). Once done, the old master key can be removed
 * from every process and destroyed: a backup of the archive taken before then holds data keys
 * wrapped by a key that no longer exists, so an erasure since is final in the backup too.
 */
import { ComplaintRecordStore } from '../archive/store';
import { loadSettings } from '../config/settings';

async function main(): Promise<void> {
  const settings = loadSettings();
  const store = await ComplaintRecordStore.open(settings.databaseUrl ? { databaseUrl: settings.databaseUrl } : { dataDir: settings.dataDir }, settings.payloadKeyRing);
  try {
    const rewrapped = await store.customerKeys!.rewrapAll();
    console.log(`${rewrapped} customer data key(s) now wrapped by master key ${settings.payloadKeyRing.activeKeyId}`);
  } finally {
    await store.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
