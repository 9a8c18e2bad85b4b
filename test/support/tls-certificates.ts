/** Throwaway certificates for mutual TLS tests, made with the openssl CLI in a temporary folder. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Paths of the PEM files: a CA, the server's certificate it signed, and two clients. */
export interface TestCertificates {
  dir: string;
  /** The CA that signed the server's and the clients' certificates. */
  ca: string;
  /** The server's certificate, for `serverName`, and its key. */
  serverCert: string;
  serverKey: string;
  serverName: string;
  /** The complaint service's client certificate (CN complaint-worker) and its key. */
  clientCert: string;
  clientKey: string;
  /** A key that belongs to no certificate here. */
  strangerKey: string;
  /** Removes the folder. */
  remove(): void;
}

const CURVE = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Makes a CA, a server certificate for `serverName` and a client certificate, valid for two days. */
export function makeTestCertificates(serverName = 'temporal.internal'): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'complaints-tls-'));
  const at = (file: string) => join(dir, file);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });

  openssl('req', '-x509', ...CURVE, '-keyout', at('ca.key'), '-out', at('ca.pem'), '-days', '2', '-subj', '/CN=complaints-test-ca',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  const signed = (name: string, subject: string, extensions: string) => {
    writeFileSync(at(`${name}.ext`), extensions);
    openssl('req', ...CURVE, '-keyout', at(`${name}.key`), '-out', at(`${name}.csr`), '-subj', subject);
    openssl('x509', '-req', '-in', at(`${name}.csr`), '-CA', at('ca.pem'), '-CAkey', at('ca.key'), '-CAcreateserial',
      '-out', at(`${name}.pem`), '-days', '2', '-extfile', at(`${name}.ext`));
  };
  signed('server', `/CN=${serverName}`, `subjectAltName=DNS:${serverName}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`);
  signed('client', '/CN=complaint-worker', 'extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n');
  openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', at('stranger.key'));

  return {
    dir,
    ca: at('ca.pem'),
    serverCert: at('server.pem'),
    serverKey: at('server.key'),
    serverName,
    clientCert: at('client.pem'),
    clientKey: at('client.key'),
    strangerKey: at('stranger.key'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
