/**
 * Ingestion by URL against a real local HTTPS server (self-signed certificate made with openssl).
 * The server is on loopback, which the real policy refuses: the happy paths use a test policy
 * that allows loopback, and the refusals are proven separately with the real policy.
 */
import { DomainException } from '@recto/common';
import { SharedConfig, validateConfig } from '@recto/config';
import { FileStorage } from '@recto/storage';
import { makeSelfSignedCertificate } from '@recto/testing';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer as createHttpsServer, Server } from 'node:https';
import { AddressInfo, createServer as createTcpServer, Server as TcpServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AddressPolicy, publicAddressesOnly } from './address.policy';
import { ResolvedAddress, UrlFetcher, UrlFetcherOverrides } from './url-fetcher';

const BODY = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(5000, 7)]);
const LIMIT = 100_000;

let dir: string;
let cert: Buffer;
let server: Server;
let base: string;
let port: number;
let silent: TcpServer;
let silentPort: number;
const hits: string[] = [];
const peers: Socket[] = [];

const loopbackAllowed: AddressPolicy = (a) => (['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(a) ? null : 'test');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'recto-url-'));
  const tls = await makeSelfSignedCertificate(dir, ['DNS:localhost', 'DNS:docs.test', 'IP:127.0.0.1', 'IP:::1']);
  cert = tls.cert;
  server = createHttpsServer({ key: tls.key, cert }, (req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/scan.png') return res.writeHead(200, { 'content-length': BODY.length }).end(BODY);
    if (req.url === '/redirect') return res.writeHead(302, { location: '/scan.png' }).end();
    if (req.url === '/declared-huge') return res.writeHead(200, { 'content-length': LIMIT + 1 }).end();
    if (req.url === '/streamed-huge') {
      res.writeHead(200); // chunked: no length to check up front
      for (let i = 0; i < 30; i++) res.write(Buffer.alloc(10_000));
      return res.end();
    }
    if (req.url === '/slow') return void setTimeout(() => res.destroyed || res.end('late'), 10_000).unref();
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  base = `https://127.0.0.1:${port}`;
  // Accepts TCP and never speaks TLS: the connect timeout's subject.
  silent = createTcpServer((socket) => void peers.push(socket));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentPort = (silent.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  peers.forEach((p) => p.destroy());
  await new Promise((r) => server.close(r));
  await new Promise((r) => silent.close(r));
  await rm(dir, { recursive: true, force: true });
});

function fetcher(overrides: UrlFetcherOverrides = {}) {
  const config = validateConfig(SharedConfig, {
    DATA_DIR: dir,
    MAX_UPLOAD_BYTES: String(LIMIT),
    URL_CONNECT_TIMEOUT_MS: '700',
    URL_FETCH_TIMEOUT_MS: '1500',
  });
  return new UrlFetcher(config, new FileStorage(config), { ca: cert, ...overrides });
}

async function refusal(promise: Promise<unknown>): Promise<DomainException> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainException);
  return err as DomainException;
}

const tmpFiles = async () => readdir(join(dir, 'tmp')).catch(() => []);

describe('with loopback allowed (test policy)', () => {
  it('downloads over HTTPS, hashing as it streams, and names the file after the path', async () => {
    const { file, filename } = await fetcher({ policy: loopbackAllowed }).fetch(`${base}/scan.png`);
    expect(filename).toBe('scan.png');
    expect(file.sizeBytes).toBe(BODY.length);
    expect(file.sha256).toBe(createHash('sha256').update(BODY).digest('hex'));
    expect(Buffer.compare(await readFile(file.tempPath), BODY)).toBe(0);
    await rm(file.tempPath);
  });

  it('connects to the address its own lookup checked (a host name through the injected resolver)', async () => {
    const asked: string[] = [];
    const resolve = async (host: string): Promise<ResolvedAddress[]> => {
      asked.push(host);
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const { file } = await fetcher({ policy: loopbackAllowed, resolve }).fetch(`https://docs.test:${port}/scan.png`);
    expect(asked).toEqual(['docs.test']);
    await rm(file.tempPath);
  });

  it('does not follow a redirect', async () => {
    hits.length = 0;
    const err = await refusal(fetcher({ policy: loopbackAllowed }).fetch(`${base}/redirect`));
    expect(err).toMatchObject({ code: 'url_fetch_failed' });
    expect(err.message).toContain('redirects are not followed');
    expect(hits).toEqual(['/redirect']);
  });

  it('refuses a declared or a streamed body over the limit, keeping nothing', async () => {
    const f = fetcher({ policy: loopbackAllowed });
    expect(await refusal(f.fetch(`${base}/declared-huge`))).toMatchObject({ code: 'payload_too_large' });
    expect(await refusal(f.fetch(`${base}/streamed-huge`))).toMatchObject({ code: 'payload_too_large' });
    expect(await tmpFiles()).toEqual([]);
  });

  it('gives up after the total timeout, and after the connect timeout on a peer that never speaks TLS', async () => {
    const f = fetcher({ policy: loopbackAllowed });
    let started = Date.now();
    const slow = await refusal(f.fetch(`${base}/slow`));
    expect(slow.message).toContain('did not finish within 1500 ms');
    expect(Date.now() - started).toBeLessThan(4000);
    started = Date.now();
    const stuck = await refusal(f.fetch(`https://127.0.0.1:${silentPort}/x.png`));
    expect(stuck.message).toContain('timed out after 700 ms');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await tmpFiles()).toEqual([]);
  });

  it('answers a non-200 status and an untrusted certificate with url_fetch_failed', async () => {
    expect(await refusal(fetcher({ policy: loopbackAllowed }).fetch(`${base}/missing`))).toMatchObject({
      code: 'url_fetch_failed',
      message: expect.stringContaining('404'),
    });
    const untrusted = await refusal(fetcher({ policy: loopbackAllowed, ca: undefined }).fetch(`${base}/scan.png`));
    expect(untrusted.code).toBe('url_fetch_failed');
  });
});

describe('with the real policy (public addresses only)', () => {
  it('refuses loopback however it is spelled, before any request reaches the server', async () => {
    hits.length = 0;
    const f = fetcher({ policy: publicAddressesOnly });
    for (const url of [
      `${base}/scan.png`,
      `https://[::1]:${port}/scan.png`,
      `https://[::ffff:127.0.0.1]:${port}/scan.png`,
      `https://[::ffff:7f00:1]:${port}/scan.png`,
      `https://localhost:${port}/scan.png`,
      `https://2130706433:${port}/scan.png`, // 127.0.0.1 as one number; URL parsing normalises it
    ]) {
      const err = await refusal(f.fetch(url));
      expect(err.code).toBe('url_not_allowed');
      expect(err.message).toMatch(/loopback/);
    }
    expect(hits).toEqual([]);
  });

  it('checks every address a name resolves to, in the lookup the socket uses (no DNS rebinding gap)', async () => {
    hits.length = 0;
    let calls = 0;
    // A rebinding resolver: public on the first answer, loopback after. Only one lookup happens,
    // the socket's own, so there is no earlier "check" answer to bypass.
    const rebinding = async (): Promise<ResolvedAddress[]> =>
      calls++ === 0
        ? [
            { address: '93.184.216.34', family: 4 },
            { address: '127.0.0.1', family: 4 },
          ]
        : [{ address: '127.0.0.1', family: 4 }];
    const err = await refusal(fetcher({ resolve: rebinding }).fetch(`https://docs.test:${port}/scan.png`));
    expect(err.code).toBe('url_not_allowed');
    expect(err.message).toContain('docs.test resolves to 127.0.0.1');
    expect(calls).toBe(1);
    const metadata = async (): Promise<ResolvedAddress[]> => [{ address: '169.254.169.254', family: 4 }];
    expect((await refusal(fetcher({ resolve: metadata }).fetch('https://metadata.test/latest'))).message).toContain(
      'cloud metadata',
    );
    const mapped = async (): Promise<ResolvedAddress[]> => [{ address: '::ffff:10.0.0.5', family: 6 }];
    expect((await refusal(fetcher({ resolve: mapped }).fetch('https://intranet.test/x'))).message).toContain(
      'private (IPv4-mapped 10.0.0.5)',
    );
    expect(hits).toEqual([]);
  });

  it('refuses http, credentials and malformed URLs', async () => {
    const f = fetcher();
    for (const url of [
      'http://example.com/a.png',
      'https://user:pw@example.com/a.png',
      'not a url',
      'file:///etc/passwd',
      'ftp://example.com/a',
    ]) {
      expect(await refusal(f.fetch(url))).toMatchObject({ code: 'url_not_allowed' });
    }
  });
});
