/** The API process: serves HTTP until SIGINT/SIGTERM, then stops accepting and closes its connection. */
import { Client, Connection } from '@temporalio/client';
import { loadCalendar, loadPolicy, loadSettings, temporalConnectConfig } from '../config/settings';
import { ComplaintRecordStore } from '../archive/store';
import { createApp } from './app';
import { loadAssessment } from './reports/routes';

async function main(): Promise<void> {
  const settings = loadSettings();
  const policy = loadPolicy(settings.policyPath);
  const temporal = temporalConnectConfig();
  const connection = await Connection.connect(temporal.connectionOptions);
  const client = new Client({ connection, namespace: temporal.namespace });
  const archive = await ComplaintRecordStore.open(settings.databaseUrl ? { databaseUrl: settings.databaseUrl } : { dataDir: settings.dataDir });
  const server = createApp({ client, policy, calendar: loadCalendar(settings.calendarPath), archive, assessment: loadAssessment() }).listen(settings.port, settings.host, () => {
    console.log(`Complaint API listening on http://${settings.host}:${settings.port} (Temporal ${temporal.connectionOptions.address})`);
  });
  const stop = () => server.close(() => void Promise.all([connection.close(), archive.close()]).then(() => process.exit(0)));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
