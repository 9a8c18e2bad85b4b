/**
 * Mutual TLS to the Temporal frontend, from files named in the environment:
 * TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY (this service's client certificate and its key),
 * TEMPORAL_TLS_CA (the CA that signed the server's certificate; unset: the system's CAs) and
 * TEMPORAL_TLS_SERVER_NAME (the name the server's certificate carries, when it is not the host
 * of TEMPORAL_ADDRESS). The Temporal Web UI reads the same names. The SDK's own
 * TEMPORAL_TLS_CLIENT_CERT_PATH / _KEY_PATH / _SERVER_CA_CERT_PATH (envconfig) still work; the
 * two sets are not mixed.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';

type Env = Record<string, string | undefined>;

/** Ours: file paths, as the Web UI and the server's own configuration take them. */
const OURS = ['TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_CA', 'TEMPORAL_TLS_SERVER_NAME'] as const;
/** The SDK's (envconfig): a client certificate or key as a path or inline. */
const SDK_CERT = ['TEMPORAL_TLS_CLIENT_CERT_PATH', 'TEMPORAL_TLS_CLIENT_CERT_DATA'] as const;
const SDK_KEY = ['TEMPORAL_TLS_CLIENT_KEY_PATH', 'TEMPORAL_TLS_CLIENT_KEY_DATA'] as const;

/**
 * The TLS options for Connection / NativeConnection from TEMPORAL_TLS_CERT, _KEY, _CA and
 * _SERVER_NAME, or undefined when none is set. A certificate without its key (or a key without
 * its certificate) stops start-up: the SDK would connect without a client certificate and the
 * server refuse the handshake later, far from the cause. So do an unreadable file, a key that
 * is not the certificate's, and a certificate that has expired.
 */
export function temporalTlsFromFiles(env: Env, now: Date = new Date()): TLSConfig | undefined {
  refusePartialSdkPair(env);
  const set = OURS.filter((name) => env[name] !== undefined);
  if (set.length === 0) return undefined;
  for (const name of set) {
    if (env[name]?.trim() === '') throw new Error(`${name} is empty: give it a value or leave it unset`);
  }
  const mixed = [...SDK_CERT, ...SDK_KEY, 'TEMPORAL_TLS_SERVER_CA_CERT_PATH', 'TEMPORAL_TLS_SERVER_CA_CERT_DATA'].filter((n) => env[n] !== undefined);
  if (mixed.length > 0) {
    throw new Error(`Set either ${set.join(', ')} or ${mixed.join(', ')}, not both: they name the same TLS files`);
  }

  const certPath = env.TEMPORAL_TLS_CERT;
  const keyPath = env.TEMPORAL_TLS_KEY;
  if ((certPath === undefined) !== (keyPath === undefined)) {
    const [given, missing] = certPath === undefined ? ['TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_CERT'] : ['TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY'];
    throw new Error(`${given} is set but ${missing} is not: mutual TLS needs the client certificate and its key together`);
  }

  const tls: TLSConfig = {};
  if (certPath !== undefined && keyPath !== undefined) {
    const crt = readPem('TEMPORAL_TLS_CERT', certPath);
    const key = readPem('TEMPORAL_TLS_KEY', keyPath);
    const certificate = parseCertificate('TEMPORAL_TLS_CERT', certPath, crt);
    let privateKey;
    try {
      privateKey = createPrivateKey(key);
    } catch (err) {
      throw new Error(`TEMPORAL_TLS_KEY ${keyPath} is not a PEM private key: ${(err as Error).message}`);
    }
    if (!certificate.checkPrivateKey(privateKey)) {
      throw new Error(`TEMPORAL_TLS_KEY ${keyPath} is not the key of the certificate in TEMPORAL_TLS_CERT ${certPath}`);
    }
    if (new Date(certificate.validTo).getTime() <= now.getTime()) {
      throw new Error(`TEMPORAL_TLS_CERT ${certPath} expired on ${certificate.validTo}`);
    }
    tls.clientCertPair = { crt, key };
  }
  if (env.TEMPORAL_TLS_CA !== undefined) {
    const ca = readPem('TEMPORAL_TLS_CA', env.TEMPORAL_TLS_CA);
    parseCertificate('TEMPORAL_TLS_CA', env.TEMPORAL_TLS_CA, ca);
    tls.serverRootCACertificate = ca;
  }
  if (env.TEMPORAL_TLS_SERVER_NAME !== undefined) tls.serverNameOverride = env.TEMPORAL_TLS_SERVER_NAME;
  return tls;
}

/** envconfig drops half a client pair without a word; refuse it as we refuse ours. */
function refusePartialSdkPair(env: Env): void {
  const cert = SDK_CERT.find((n) => env[n] !== undefined);
  const key = SDK_KEY.find((n) => env[n] !== undefined);
  if ((cert === undefined) !== (key === undefined)) {
    throw new Error(
      `${cert ?? key} is set but no ${cert === undefined ? 'TEMPORAL_TLS_CLIENT_CERT_PATH' : 'TEMPORAL_TLS_CLIENT_KEY_PATH'}: mutual TLS needs the client certificate and its key together`,
    );
  }
}

function readPem(variable: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new Error(`Cannot read ${variable} ${path}: ${(err as Error).message}`);
  }
}

function parseCertificate(variable: string, path: string, pem: Buffer): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (err) {
    throw new Error(`${variable} ${path} is not a PEM certificate: ${(err as Error).message}`);
  }
}
