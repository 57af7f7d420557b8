/**
 * Throwaway TLS material, made with `openssl` in a temporary directory at test time: a CA, a server
 * certificate it signs (SAN `DNS:localhost, IP:127.0.0.1`), a client certificate it signs, and a
 * second, unrelated CA for "wrong CA" cases. Nothing is checked in.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface TlsFiles {
  readonly dir: string;
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  /** A CA that signed nothing here. */
  readonly otherCa: string;
  remove(): Promise<void>;
}

export async function makeTlsFiles(): Promise<TlsFiles> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'redis-print-tls-'));
  const file = (name: string): string => path.join(dir, name);
  const ca = async (name: string, cn: string): Promise<void> => {
    await openssl(['req', '-x509', '-new', '-nodes', '-newkey', 'rsa:2048', '-sha256', '-days', '2', '-subj', `/CN=${cn}`, '-keyout', file(`${name}.key`), '-out', file(`${name}.crt`)]);
  };
  const signed = async (name: string, cn: string, extensions: string): Promise<void> => {
    await openssl(['req', '-new', '-nodes', '-newkey', 'rsa:2048', '-subj', `/CN=${cn}`, '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`)]);
    await writeFile(file(`${name}.ext`), extensions);
    await openssl(['x509', '-req', '-sha256', '-days', '2', '-in', file(`${name}.csr`), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial', '-extfile', file(`${name}.ext`), '-out', file(`${name}.crt`)]);
  };
  try {
    await ca('ca', 'redis-print test CA');
    await ca('other-ca', 'some other CA');
    await signed('server', 'localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    await signed('client', 'redis-print client', 'extendedKeyUsage=clientAuth\n');
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    ca: file('ca.crt'),
    serverCert: file('server.crt'),
    serverKey: file('server.key'),
    clientCert: file('client.crt'),
    clientKey: file('client.key'),
    otherCa: file('other-ca.crt'),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

function openssl(args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('openssl', args, (error, _stdout, stderr) => {
      if (error) reject(new Error(`openssl ${args[0]} failed: ${stderr || error.message}`));
      else resolve();
    });
  });
}
