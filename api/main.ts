/** The API process: serves HTTP until SIGINT/SIGTERM/SIGHUP, then stops accepting and closes its connection. */
import { Client, Connection } from '@temporalio/client';
import { watchCalendarCoverage } from '../config/calendar-watch';
import { loadAuthSettings, loadCalendar, loadPolicy, loadSettings, temporalConnectConfig } from '../config/settings';
import { describeDevCredentials } from './auth/dev-credentials';
import { ComplaintRecordStore } from '../archive/store';
import { createAppFromSettings } from './app-from-settings';
import { EncryptionCodec, encryptedDataConverter } from '../config/payload-codec';

async function main(): Promise<void> {
  const settings = loadSettings();
  // Before anything connects: production without configured credentials stops here.
  const auth = loadAuthSettings();
  const policy = loadPolicy(settings.policyPath);
  const temporal = temporalConnectConfig();
  const connection = await Connection.connect(temporal.connectionOptions);
  // The archive keeps the customers' data keys: the codec encrypts each complaint under its customer's.
  const archive = await ComplaintRecordStore.open(settings.databaseUrl ? { databaseUrl: settings.databaseUrl } : { dataDir: settings.dataDir }, settings.payloadKeyRing);
  const codec = await EncryptionCodec.create(settings.payloadKeyRing, archive.customerKeys);
  const client = new Client({ connection, namespace: temporal.namespace, dataConverter: encryptedDataConverter(codec) });
  const calendar = loadCalendar(settings.calendarPath);
  const stopWatching = watchCalendarCoverage(calendar, settings.calendarWarnDays);
  const app = createAppFromSettings(settings, auth, { client, policy, calendar, archive, codec });
  const apiUrl = `http://${settings.host}:${settings.port}`;
  const server = app.listen(settings.port, settings.host, () => {
    console.log(`Complaint API listening on ${apiUrl} (Temporal ${temporal.connectionOptions.address})`);
    if (auth.dev) void describeDevCredentials(apiUrl).then((banner) => console.log(banner));
  });
  const stop = () => {
    stopWatching();
    server.close(() => void Promise.all([connection.close(), archive.close()]).then(() => process.exit(0)));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
