import { Inject, Injectable, Optional } from '@nestjs/common';
import { SharedConfig } from '@recto/config';
import { AddressGuard, allowingLoopback, HostResolver, publicAddressesOnly, systemResolver } from '@recto/documents';
import { isIP } from 'node:net';
import { WebhookUrlNotAllowedException } from './webhook.exceptions';

/**
 * Which URLs may receive webhooks: http(s), no credentials, and a host whose every address is
 * public (loopback too with WEBHOOK_ALLOW_LOOPBACK). Judged at registration, and again by the
 * sender's own DNS lookup and on the connected peer at every delivery, so a name that later
 * resolves to a private address (DNS rebinding) is refused then.
 */
/** Test seam only (a name that resolves differently at delivery than at registration). */
export const WEBHOOK_URL_RESOLVER = Symbol('WEBHOOK_URL_RESOLVER');

@Injectable()
export class WebhookUrlGuard {
  readonly addresses: AddressGuard;

  constructor(config: SharedConfig, @Optional() @Inject(WEBHOOK_URL_RESOLVER) resolve?: HostResolver) {
    const policy = config.WEBHOOK_ALLOW_LOOPBACK ? allowingLoopback(publicAddressesOnly) : publicAddressesOnly;
    this.addresses = new AddressGuard(policy, resolve ?? systemResolver, {
      refused: (host, address, reason) =>
        new WebhookUrlNotAllowedException(
          host === address
            ? `Webhooks are not sent to ${address}: ${reason} address.`
            : `Webhooks are not sent to ${host}: it resolves to ${address}, a ${reason} address.`,
        ),
      unresolvable: (host, detail) =>
        new WebhookUrlNotAllowedException(`${host} does not resolve${detail ? ` (${detail})` : ''}.`),
    });
  }

  /** The parsed URL, or a refusal naming why. */
  parse(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new WebhookUrlNotAllowedException('The url is not a valid absolute URL.');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new WebhookUrlNotAllowedException(`Webhook URLs are http:// or https:// (got ${url.protocol}).`);
    }
    if (url.username || url.password) throw new WebhookUrlNotAllowedException('URLs with credentials are not allowed.');
    return url;
  }

  /** For registration: parses and resolves now. */
  async check(raw: string): Promise<URL> {
    const url = this.parse(raw);
    const host = hostOf(url);
    if (isIP(host)) this.addresses.check(host, host);
    else await this.addresses.checkHost(host);
    return url;
  }
}

/** The hostname without IPv6 brackets. */
export const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');
