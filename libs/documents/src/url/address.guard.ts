import { lookup as dnsLookup } from 'node:dns/promises';
import { LookupFunction, Socket } from 'node:net';
import { AddressPolicy } from './address.policy';

export interface ResolvedAddress {
  address: string;
  family: number;
}

export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: HostResolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** Each user of the guard words its own refusals (and picks their error codes). */
export interface AddressGuardErrors {
  refused(host: string, address: string, reason: string): Error;
  unresolvable(host: string, detail: string | null): Error;
}

/**
 * Keeps outgoing connections (URL ingestion, webhook deliveries) off the service's own network:
 * every address a host resolves to is checked in the socket's own DNS lookup, so a rebinding DNS
 * answer cannot slip in between a check and the connect, and the connected peer is checked again.
 */
export class AddressGuard {
  constructor(
    readonly policy: AddressPolicy,
    private readonly resolve: HostResolver,
    private readonly errors: AddressGuardErrors,
  ) {}

  /** Throws the refusal when `address` (one of `host`'s) is not allowed. */
  check(host: string, address: string): void {
    const reason = this.policy(address);
    if (reason) throw this.errors.refused(host, address, reason);
  }

  /** Resolves `host` now and checks every answer (for a URL judged ahead of any connection). */
  async checkHost(host: string): Promise<void> {
    const addresses = await this.resolveChecked(host);
    if (addresses.length === 0) throw this.errors.unresolvable(host, null);
  }

  /** For `http(s).request({ lookup })`: the addresses checked are the ones the socket connects to. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.resolveChecked(hostname).then(
      (addresses) => {
        if (addresses.length === 0) return callback(this.errors.unresolvable(hostname, null), '', 0);
        if (options.all) return (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, addresses);
        callback(null, addresses[0].address, addresses[0].family);
      },
      (err: Error) => callback(err, '', 0),
    );
  };

  /** Call on the socket's `connect`: the refusal for the peer actually reached, or null. */
  peerRefusal(socket: Socket): Error | null {
    const address = socket.remoteAddress;
    if (!address) return this.errors.refused('the peer', '(unknown)', 'no peer address');
    const reason = this.policy(address);
    return reason ? this.errors.refused(address, address, reason) : null;
  }

  private async resolveChecked(host: string): Promise<ResolvedAddress[]> {
    let addresses: ResolvedAddress[];
    try {
      addresses = await this.resolve(host);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw this.errors.unresolvable(host, e.code ?? e.message);
    }
    // Every answer must be allowed, not just the first: the connection may try any of them.
    for (const a of addresses) this.check(host, a.address);
    return addresses;
  }
}
