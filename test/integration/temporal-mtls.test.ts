/**
 * Mutual TLS between the app and Temporal, end to end: the connection options built from
 * TEMPORAL_TLS_CERT / _KEY / _CA / _SERVER_NAME make the SDK's client (API) and native connection
 * (worker) present their certificate and check the server's. The dev server speaks no TLS, so a
 * TLS front (node:tls, the way a mesh sidecar or load balancer fronts the frontend) requires a
 * client certificate from the test CA and passes the gRPC stream on to a real dev server.
 */
import { connect as netConnect } from 'node:net';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporalConnectConfig } from '../../config/settings';
import { startDevServer } from '../support/temporal';
import { makeTestCertificates, type TestCertificates } from '../support/tls-certificates';

let certs: TestCertificates;
let temporal: TestWorkflowEnvironment;
let front: Server;
/** The common name of each client certificate the front accepted; `refused` for each handshake it failed. */
const seen: string[] = [];

beforeAll(async () => {
  certs = makeTestCertificates();
  temporal = await startDevServer();
  const [upstreamHost, upstreamPort] = temporal.address.split(':');
  front = createServer(
    {
      key: readFileSync(certs.serverKey),
      cert: readFileSync(certs.serverCert),
      ca: readFileSync(certs.ca),
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2'],
    },
    (socket: TLSSocket) => {
      const subject = socket.getPeerCertificate().subject as { CN?: string } | undefined;
      seen.push(subject?.CN ?? 'anonymous');
      const upstream = netConnect(Number(upstreamPort), upstreamHost === 'localhost' ? '127.0.0.1' : upstreamHost);
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
      socket.on('close', () => upstream.destroy());
    },
  );
  front.on('tlsClientError', () => seen.push('refused'));
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await new Promise<void>((resolve) => front.close(() => resolve()));
  await temporal.teardown();
  certs.remove();
});

const frontAddress = () => `127.0.0.1:${(front.address() as AddressInfo).port}`;
/** What the api and worker containers would be given to reach Temporal over mutual TLS. */
const mtlsEnv = () => ({
  NODE_ENV: 'production',
  TEMPORAL_ADDRESS: frontAddress(),
  TEMPORAL_NAMESPACE: 'default',
  TEMPORAL_TLS_CERT: certs.clientCert,
  TEMPORAL_TLS_KEY: certs.clientKey,
  TEMPORAL_TLS_CA: certs.ca,
  // The front's certificate names the service, not the loopback address the test dials.
  TEMPORAL_TLS_SERVER_NAME: certs.serverName,
});

it("the API's client reaches the real server through a front that requires its certificate", async () => {
  seen.length = 0;
  const { connectionOptions, namespace } = temporalConnectConfig(mtlsEnv());
  const connection = await Connection.connect({ ...connectionOptions, connectTimeout: '10s' });
  try {
    const described = await connection.workflowService.describeNamespace({ namespace });
    expect(described.namespaceInfo?.name).toBe('default');
  } finally {
    await connection.close();
  }
  expect(seen).toContain('complaint-worker');
  expect(seen).not.toContain('refused');
});

it("the worker's native connection does the same", async () => {
  seen.length = 0;
  const { connectionOptions, namespace } = temporalConnectConfig(mtlsEnv());
  const connection = await NativeConnection.connect(connectionOptions);
  try {
    const described = await connection.workflowService.describeNamespace({ namespace });
    expect(described.namespaceInfo?.name).toBe('default');
  } finally {
    await connection.close();
  }
  expect(seen).toContain('complaint-worker');
});

it('without a client certificate the handshake is refused and nothing reaches Temporal', async () => {
  seen.length = 0;
  const { TEMPORAL_TLS_CERT: _cert, TEMPORAL_TLS_KEY: _key, ...serverOnly } = mtlsEnv();
  const { connectionOptions } = temporalConnectConfig(serverOnly);
  expect(connectionOptions.tls).not.toHaveProperty('clientCertPair');
  const error = await Connection.connect({ ...connectionOptions, connectTimeout: '3s' }).then(() => undefined, (err: unknown) => err);
  expect(String(error)).toMatch(/Failed to connect/);
  expect(new Set(seen)).toEqual(new Set(['refused']));
});

it('a server certificate from another CA is refused by the client', async () => {
  seen.length = 0;
  const other = makeTestCertificates();
  try {
    const { connectionOptions } = temporalConnectConfig({ ...mtlsEnv(), TEMPORAL_TLS_CA: other.ca });
    const error = await Connection.connect({ ...connectionOptions, connectTimeout: '3s' }).then(() => undefined, (err: unknown) => err);
    expect(String(error)).toMatch(/Failed to connect/);
    // The client dropped every handshake: the front never passed a stream on.
    expect(seen).not.toContain('complaint-worker');
  } finally {
    other.remove();
  }
});
