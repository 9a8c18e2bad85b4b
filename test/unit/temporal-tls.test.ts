/**
 * The Temporal connection options: mutual TLS from TEMPORAL_TLS_CERT / _KEY / _CA / _SERVER_NAME
 * (config/temporal-tls.ts through config/settings.ts), with throwaway certificates. That the SDK
 * really presents the certificate is checked against a server in test/integration/temporal-mtls.test.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporalConnectConfig } from '../../config/settings';
import { temporalTlsFromFiles } from '../../config/temporal-tls';
import { makeTestCertificates, type TestCertificates } from '../support/tls-certificates';

let certs: TestCertificates;
beforeAll(() => {
  certs = makeTestCertificates();
});
afterAll(() => certs.remove());

const base = { NODE_ENV: 'production', TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_NAMESPACE: 'default' } as const;
const mtls = () => ({ ...base, TEMPORAL_TLS_CERT: certs.clientCert, TEMPORAL_TLS_KEY: certs.clientKey, TEMPORAL_TLS_CA: certs.ca, TEMPORAL_TLS_SERVER_NAME: certs.serverName });

describe('temporalConnectConfig', () => {
  it('connects without TLS when no TLS variable is set (the compose network)', () => {
    const config = temporalConnectConfig({ ...base });
    expect(config.connectionOptions.address).toBe('temporal:7233');
    expect(config.connectionOptions.tls).toBeUndefined();
    expect(config.namespace).toBe('default');
  });

  it('builds the client pair, the server CA and the server name from the files', () => {
    const config = temporalConnectConfig(mtls());
    expect(config.connectionOptions.address).toBe('temporal:7233');
    expect(config.connectionOptions.tls).toEqual({
      clientCertPair: { crt: readFileSync(certs.clientCert), key: readFileSync(certs.clientKey) },
      serverRootCACertificate: readFileSync(certs.ca),
      serverNameOverride: 'temporal.internal',
    });
  });

  it('verifies the server only, with no client certificate, when just the CA is given', () => {
    expect(temporalConnectConfig({ ...base, TEMPORAL_TLS_CA: certs.ca }).connectionOptions.tls).toEqual({ serverRootCACertificate: readFileSync(certs.ca) });
  });

  it.each([
    ['the certificate without its key', { TEMPORAL_TLS_CERT: 'clientCert' }, /TEMPORAL_TLS_CERT is set but TEMPORAL_TLS_KEY is not/],
    ['the key without its certificate', { TEMPORAL_TLS_KEY: 'clientKey' }, /TEMPORAL_TLS_KEY is set but TEMPORAL_TLS_CERT is not/],
    ["the SDK's certificate path without its key", { TEMPORAL_TLS_CLIENT_CERT_PATH: 'clientCert' }, /TEMPORAL_TLS_CLIENT_CERT_PATH is set but no TEMPORAL_TLS_CLIENT_KEY_PATH/],
    ["the SDK's key path without its certificate", { TEMPORAL_TLS_CLIENT_KEY_PATH: 'clientKey' }, /TEMPORAL_TLS_CLIENT_KEY_PATH is set but no TEMPORAL_TLS_CLIENT_CERT_PATH/],
  ] as const)('refuses half a client pair in production: %s', (_, vars, message) => {
    const env: Record<string, string> = { ...base };
    for (const [name, which] of Object.entries(vars)) env[name] = certs[which as 'clientCert' | 'clientKey'];
    expect(() => temporalConnectConfig(env)).toThrow(message);
  });

  it("also accepts the SDK's own variable names for a whole pair", () => {
    const tls = temporalConnectConfig({ ...base, TEMPORAL_TLS_CLIENT_CERT_PATH: certs.clientCert, TEMPORAL_TLS_CLIENT_KEY_PATH: certs.clientKey }).connectionOptions.tls;
    expect(tls).toMatchObject({ clientCertPair: { crt: readFileSync(certs.clientCert), key: readFileSync(certs.clientKey) } });
  });
});

describe('temporalTlsFromFiles refuses at start-up what would fail the handshake later', () => {
  it('a key that is not the certificate\'s', () => {
    expect(() => temporalTlsFromFiles({ ...mtls(), TEMPORAL_TLS_KEY: certs.strangerKey })).toThrow(/TEMPORAL_TLS_KEY .* is not the key of the certificate in TEMPORAL_TLS_CERT/);
  });

  it('an expired certificate', () => {
    expect(() => temporalTlsFromFiles(mtls(), new Date(Date.now() + 3 * 24 * 3600 * 1000))).toThrow(/TEMPORAL_TLS_CERT .* expired on/);
    expect(temporalTlsFromFiles(mtls())).toBeDefined();
  });

  it('a file that cannot be read, or is no PEM certificate', () => {
    expect(() => temporalTlsFromFiles({ ...mtls(), TEMPORAL_TLS_CA: join(certs.dir, 'missing.pem') })).toThrow(/Cannot read TEMPORAL_TLS_CA .*missing\.pem/);
    const garbage = join(certs.dir, 'garbage.pem');
    writeFileSync(garbage, 'not a certificate');
    expect(() => temporalTlsFromFiles({ ...mtls(), TEMPORAL_TLS_CERT: garbage })).toThrow(/TEMPORAL_TLS_CERT .*garbage\.pem is not a PEM certificate/);
  });

  it('an empty value, and both sets of names at once', () => {
    expect(() => temporalTlsFromFiles({ ...mtls(), TEMPORAL_TLS_SERVER_NAME: '' })).toThrow(/TEMPORAL_TLS_SERVER_NAME is empty/);
    expect(() => temporalTlsFromFiles({ ...mtls(), TEMPORAL_TLS_SERVER_CA_CERT_PATH: certs.ca })).toThrow(/not both/);
  });
});
