import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface SelfSignedCertificate {
  key: Buffer;
  cert: Buffer;
  /** The certificate's file, e.g. for a child process's NODE_EXTRA_CA_CERTS. */
  certPath: string;
}

/** A one-day self-signed certificate (openssl) in `dir`, for local HTTPS test servers. */
export async function makeSelfSignedCertificate(
  dir: string,
  altNames = ['DNS:localhost', 'IP:127.0.0.1'],
): Promise<SelfSignedCertificate> {
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-addext', `subjectAltName=${altNames.join(',')}`, '-keyout', keyPath, '-out', certPath,
  ], { stdio: 'ignore' }); // prettier-ignore
  return { key: await readFile(keyPath), cert: await readFile(certPath), certPath };
}
