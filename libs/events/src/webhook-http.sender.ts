import { Injectable } from '@nestjs/common';
import { DomainException } from '@recto/common';
import { AttemptOutcome } from '@recto/database';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, Socket } from 'node:net';
import { hostOf, WebhookUrlGuard } from './webhook-url.guard';

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

const MAX_ERROR_BODY = 300;

/**
 * The one door to webhook receivers: a POST through the URL guard (checked again now, on the
 * addresses actually connected to), no redirects followed, a deadline for the whole exchange.
 * Success is any 2xx; everything else comes back as an outcome with the reason, never a throw.
 */
@Injectable()
export class WebhookHttpSender {
  constructor(private readonly urls: WebhookUrlGuard) {}

  send(req: WebhookRequest): Promise<AttemptOutcome> {
    const started = Date.now();
    const outcome = (statusCode: number | null, error: string | null): AttemptOutcome => ({
      statusCode,
      error,
      durationMs: Date.now() - started,
    });
    let url: URL;
    try {
      url = this.urls.parse(req.url);
      const host = hostOf(url);
      if (isIP(host)) this.urls.addresses.check(host, host);
    } catch (err) {
      return Promise.resolve(outcome(null, messageOf(err)));
    }
    return new Promise<AttemptOutcome>((resolve) => {
      let settled = false;
      const finish = (result: AttemptOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        client.destroy();
        resolve(result);
      };
      const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const host = hostOf(url);
      const client = request({
        host,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        servername: url.protocol === 'https:' && !isIP(host) ? host : undefined,
        lookup: this.urls.addresses.lookup,
        agent: false,
        headers: {
          ...req.headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(req.body)),
          'user-agent': 'Recto-Webhooks/1',
        },
      });
      const timer = setTimeout(() => finish(outcome(null, `No answer within ${req.timeoutMs} ms.`)), req.timeoutMs);
      client.on('socket', (socket: Socket) => {
        socket.once('connect', () => {
          const refusal = this.urls.addresses.peerRefusal(socket);
          if (refusal) finish(outcome(null, refusal.message));
        });
      });
      client.on('response', (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          res.resume();
          res.once('end', () => finish(outcome(status, null)));
          res.once('error', () => finish(outcome(status, null)));
          return;
        }
        // A little of the answer tells the tenant why their receiver refused.
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_ERROR_BODY) chunks.push(chunk);
          size += chunk.length;
        });
        const done = () => {
          const text = Buffer.concat(chunks).toString('utf8').slice(0, MAX_ERROR_BODY).replace(/\s+/g, ' ').trim();
          const redirect = status >= 300 && status < 400 ? ' (a redirect; redirects are not followed)' : '';
          finish(outcome(status, `Answered ${status}${redirect}${text ? `: ${text}` : ''}`));
        };
        res.once('end', done);
        res.once('error', done);
      });
      client.on('error', (err) => finish(outcome(null, messageOf(err))));
      client.end(req.body);
    });
  }
}

function messageOf(err: unknown): string {
  if (err instanceof DomainException) return err.message;
  const e = err as NodeJS.ErrnoException;
  return `Request failed: ${e.code ?? e.message ?? String(err)}.`;
}
