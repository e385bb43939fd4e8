import { Inject, Injectable, Optional } from '@nestjs/common';
import { DomainException, ErrorCode } from '@recto/common';
import { SharedConfig } from '@recto/config';
import { FileStorage, FileTooLargeException, ReceivedFile } from '@recto/storage';
import { request } from 'node:https';
import { isIP, Socket } from 'node:net';
import { AddressGuard, HostResolver, systemResolver } from './address.guard';
import { AddressPolicy, allowingLoopback, publicAddressesOnly } from './address.policy';
import { UrlFetchFailedException } from './url-fetch-failed.exception';

export type { ResolvedAddress } from './address.guard';

/** Test seams only: production uses the configured policy, the system resolver and public CAs (plus NODE_EXTRA_CA_CERTS). */
export interface UrlFetcherOverrides {
  policy?: AddressPolicy;
  resolve?: HostResolver;
  /** Extra trusted CA (a test server's self-signed certificate). */
  ca?: string | Buffer;
}

export const URL_FETCHER_OVERRIDES = Symbol('URL_FETCHER_OVERRIDES');

export interface FetchedFile {
  file: ReceivedFile;
  /** The last path segment of the URL, as a display name. */
  filename: string | undefined;
}

const notAllowed = (detail: string) =>
  new DomainException(ErrorCode.UrlNotAllowed, detail, [{ pointer: '/url', detail: 'not allowed' }]);
const fetchFailed = (detail: string, status: number | null = null) => new UrlFetchFailedException(detail, status);

/**
 * Downloads a document for ingestion by URL without letting a caller reach the service's own
 * network: HTTPS only; every address the host resolves to must be public, checked in the socket's
 * own DNS lookup (so a rebinding DNS answer cannot slip in between check and connect) and again on
 * the connected peer; no redirects; the size limit enforced while streaming; connect and total timeouts.
 */
@Injectable()
export class UrlFetcher {
  private readonly guard: AddressGuard;

  constructor(
    private readonly config: SharedConfig,
    private readonly storage: FileStorage,
    @Optional() @Inject(URL_FETCHER_OVERRIDES) private readonly overrides: UrlFetcherOverrides = {},
  ) {
    const policy = config.URL_FETCH_ALLOW_LOOPBACK ? allowingLoopback(publicAddressesOnly) : publicAddressesOnly;
    this.guard = new AddressGuard(overrides.policy ?? policy, overrides.resolve ?? systemResolver, {
      refused: (host, address, reason) => {
        const where = host === address ? address : `${host} resolves to ${address}, which`;
        return notAllowed(`Refused to fetch from ${where} is not a public address: ${reason}.`);
      },
      unresolvable: (host, detail) => fetchFailed(`${host} does not resolve${detail ? ` (${detail})` : ''}.`),
    });
  }

  async fetch(raw: string): Promise<FetchedFile> {
    const url = this.parse(raw);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) this.guard.check(host, host);
    const file = await this.download(url, host);
    return { file, filename: filenameOf(url) };
  }

  private parse(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw notAllowed('The url is not a valid absolute URL.');
    }
    if (url.protocol !== 'https:') throw notAllowed(`Only https:// URLs are fetched (got ${url.protocol}).`);
    if (url.username || url.password) throw notAllowed('URLs with credentials are not fetched.');
    return url;
  }

  private download(url: URL, host: string): Promise<ReceivedFile> {
    const maxBytes = this.config.MAX_UPLOAD_BYTES;
    const { URL_CONNECT_TIMEOUT_MS: connectMs, URL_FETCH_TIMEOUT_MS: totalMs } = this.config;
    return new Promise<ReceivedFile>((resolve, reject) => {
      let settled = false;
      const timers: NodeJS.Timeout[] = [];
      const finish = (err: unknown, file?: ReceivedFile) => {
        if (settled) {
          if (file) void this.storage.discard(file);
          return;
        }
        settled = true;
        timers.forEach(clearTimeout);
        if (err) {
          req.destroy();
          reject(toDomainError(err, host));
        } else resolve(file as ReceivedFile);
      };
      const req = request({
        host,
        port: url.port || 443,
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        servername: isIP(host) ? undefined : host,
        lookup: this.guard.lookup,
        agent: false,
        ca: this.overrides.ca,
        headers: { 'user-agent': 'Recto (document ingestion)', accept: '*/*', 'accept-encoding': 'identity' },
      });
      timers.push(
        setTimeout(() => finish(fetchFailed(`Connecting to ${host} timed out after ${connectMs} ms.`)), connectMs),
        setTimeout(
          () => finish(fetchFailed(`The download from ${host} did not finish within ${totalMs} ms.`)),
          totalMs,
        ),
      );
      req.on('socket', (socket: Socket) => {
        socket.once('connect', () => {
          // Literal and resolved addresses were checked already; this is the peer actually reached.
          const refusal = this.guard.peerRefusal(socket);
          if (refusal) finish(refusal);
        });
        socket.once('secureConnect', () => clearTimeout(timers[0]));
      });
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          res.resume();
          return finish(fetchFailed(`${host} answered ${status} (a redirect); redirects are not followed.`, status));
        }
        if (status !== 200) {
          res.resume();
          return finish(fetchFailed(`${host} answered ${status}, not 200.`, status));
        }
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes) {
          return finish(new FileTooLargeException(maxBytes));
        }
        this.storage.receive(res, maxBytes).then(
          (file) => finish(null, file),
          (err: unknown) => finish(err),
        );
      });
      req.on('error', (err) => finish(err));
      req.end();
    });
  }
}

function toDomainError(err: unknown, host: string): DomainException {
  if (err instanceof DomainException) return err;
  const e = err as NodeJS.ErrnoException;
  return fetchFailed(`Fetching from ${host} failed: ${e.code ?? e.message ?? String(err)}.`);
}

function filenameOf(url: URL): string | undefined {
  const last = url.pathname.split('/').pop();
  if (!last) return undefined;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}
