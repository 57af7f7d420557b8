/**
 * TLS settings: the files read once, up front, and turned into `tls.connect` options per server.
 *
 * Why read the files here and not at connect time: a typo in `--cacert` is a usage error (exit 2)
 * that should appear before any network traffic, not a connection error after a timeout.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { checkServerIdentity, createSecureContext, type ConnectionOptions as TlsConnectOptions, type PeerCertificate } from 'node:tls';
import { ConnectionError } from './ConnectionError.js';

export interface TlsInput {
  /** PEM file with the CA certificate(s) that sign the server's certificate; default: Node's CA store. */
  caFile?: string | undefined;
  /** PEM client certificate, for servers that ask for one (`tls-auth-clients yes`); needs `keyFile`. */
  certFile?: string | undefined;
  keyFile?: string | undefined;
  /** Do not verify the server's certificate or name. */
  insecure?: boolean | undefined;
  /** The name to send as SNI and to check the certificate against, instead of the host. */
  servername?: string | undefined;
}

export interface PemFile {
  readonly path: string;
  readonly pem: Buffer;
}

export interface TlsSettings {
  readonly ca?: PemFile;
  readonly cert?: PemFile;
  readonly key?: PemFile;
  /** False with `insecure`: any certificate is accepted. */
  readonly verify: boolean;
  readonly servername?: string;
}

/**
 * Reads and checks the PEM files of `input`.
 *
 * @throws ConnectionError `EBADFILE` when a file cannot be read or holds no PEM block of the
 *   expected kind, or the key does not belong to the certificate; `EBADURL` for a certificate
 *   without a key (or the reverse).
 */
export function loadTls(input: TlsInput): TlsSettings {
  if ((input.certFile === undefined) !== (input.keyFile === undefined)) {
    const target = input.certFile ?? input.keyFile ?? '';
    throw new ConnectionError('EBADURL', target, 'a client certificate needs its private key: give both the certificate and the key file');
  }
  const ca = input.caFile === undefined ? undefined : readPem(input.caFile, 'CA certificate', 'CERTIFICATE');
  const cert = input.certFile === undefined ? undefined : readPem(input.certFile, 'client certificate', 'CERTIFICATE');
  const key = input.keyFile === undefined ? undefined : readPem(input.keyFile, 'private key', 'PRIVATE KEY');
  if (cert && key) {
    try {
      createSecureContext({ cert: cert.pem, key: key.pem });
    } catch (error) {
      const reason = error instanceof Error ? error.message.replace(/^error:[0-9A-F]+:[^:]*::?/i, '') : String(error);
      throw new ConnectionError('EBADFILE', key.path, `cannot use the private key ${key.path} with the certificate ${cert.path}: ${reason}`);
    }
  }
  const servername = input.servername === undefined || input.servername === '' ? undefined : input.servername;
  return Object.freeze({
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    verify: input.insecure !== true,
    ...(servername === undefined ? {} : { servername }),
  });
}

/**
 * Options for `tls.connect` to `host`. Node checks the certificate against `servername` when set,
 * else against the host. SNI is only sent for names: Node prints a deprecation warning (DEP0123)
 * when asked to send an IP address, so an IP given as the server name is checked explicitly.
 */
export function tlsConnectOptions(settings: TlsSettings, host: string): TlsConnectOptions {
  const name = settings.servername ?? host;
  return {
    ...(settings.ca ? { ca: settings.ca.pem } : {}),
    ...(settings.cert ? { cert: settings.cert.pem } : {}),
    ...(settings.key ? { key: settings.key.pem } : {}),
    rejectUnauthorized: settings.verify,
    ...(isIP(name) === 0
      ? { servername: name }
      : name === host
        ? {}
        : { checkServerIdentity: (_host: string, cert: PeerCertificate) => checkServerIdentity(name, cert) }),
  };
}

function readPem(path: string, what: string, block: 'CERTIFICATE' | 'PRIVATE KEY'): PemFile {
  let pem: Buffer;
  try {
    pem = readFileSync(path);
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : error instanceof Error ? error.message : String(error);
    throw new ConnectionError('EBADFILE', path, `cannot read the ${what} file ${path}: ${reason}`, { cause: error });
  }
  // `BEGIN PRIVATE KEY`, `BEGIN RSA PRIVATE KEY`, `BEGIN EC PRIVATE KEY` …
  const marker = block === 'CERTIFICATE' ? /-----BEGIN CERTIFICATE-----/ : /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
  if (!marker.test(pem.toString('latin1'))) {
    throw new ConnectionError('EBADFILE', path, `the ${what} file ${path} is not PEM (no "BEGIN ${block}" block)`);
  }
  return { path, pem };
}
