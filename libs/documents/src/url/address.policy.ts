import { isIPv4, isIPv6 } from 'node:net';

/** Why an address may not be fetched from, or null when it is a public unicast address. */
export type AddressPolicy = (address: string) => string | null;

type V4Range = [base: string, bits: number, reason: string];

// Most specific first: the first match names the reason.
const V4_REFUSED: V4Range[] = [
  ['169.254.169.254', 32, 'cloud metadata'],
  ['169.254.170.2', 32, 'cloud metadata'],
  ['100.100.100.200', 32, 'cloud metadata'],
  ['0.0.0.0', 8, 'unspecified ("this network")'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared address space (carrier-grade NAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4 relay anycast'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved (incl. broadcast)'],
];

type V6Range = [base: string, bits: number, reason: string];

const V6_REFUSED: V6Range[] = [
  ['fd00:ec2::254', 128, 'cloud metadata'],
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['64:ff9b:1::', 48, 'local-use NAT64'],
  ['100::', 64, 'discard-only'],
  ['2001::', 23, 'IETF protocol assignments (incl. Teredo)'],
  ['2001:db8::', 32, 'documentation'],
  ['3fff::', 20, 'documentation'],
  ['fc00::', 7, 'unique-local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];

const v4ToInt = (ip: string) => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);

/** 128-bit value of an IPv6 address (zone ids and an embedded dotted IPv4 tail allowed). */
export function ipv6ToBigInt(address: string): bigint {
  let ip = address.replace(/%.*$/, '').toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (dotted) {
    const n = v4ToInt(dotted[1]);
    ip = ip.slice(0, -dotted[1].length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? headGroups
      : [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return groups.reduce((n, g) => (n << 16n) | BigInt(parseInt(g || '0', 16)), 0n);
}

const inV6 = (value: bigint, base: string, bits: number) =>
  bits === 0 || value >> BigInt(128 - bits) === ipv6ToBigInt(base) >> BigInt(128 - bits);

function classifyV4(ip: string): string | null {
  const n = v4ToInt(ip);
  for (const [base, bits, reason] of V4_REFUSED) {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    if ((n & mask) >>> 0 === (v4ToInt(base) & mask) >>> 0) return reason;
  }
  return null;
}

const v4Of = (value: bigint) => {
  const n = Number(value & 0xffffffffn);
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
};

function classifyV6(ip: string): string | null {
  const value = ipv6ToBigInt(ip);
  // Forms that carry an IPv4 address are judged by that address: ::ffff:127.0.0.1 is loopback.
  if (inV6(value, '::ffff:0:0', 96)) return embedded('IPv4-mapped', v4Of(value));
  if (inV6(value, '64:ff9b::', 96)) return embedded('NAT64', v4Of(value));
  if (inV6(value, '2002::', 16)) return embedded('6to4', v4Of(value >> 80n));
  for (const [base, bits, reason] of V6_REFUSED) if (inV6(value, base, bits)) return reason;
  if (inV6(value, '::', 96)) return 'IPv4-compatible (deprecated)';
  // Outside 2000::/3 nothing is global unicast today.
  if (!inV6(value, '2000::', 3)) return 'reserved';
  return null;
}

function embedded(form: string, v4: string): string | null {
  const reason = classifyV4(v4);
  return reason ? `${reason} (${form} ${v4})` : null;
}

/**
 * The default policy of ingestion by URL: only public unicast addresses. Anything else could reach
 * the service's own network (loopback, private, link-local, unique-local, cloud metadata).
 */
export const publicAddressesOnly: AddressPolicy = (address) => {
  if (isIPv4(address)) return classifyV4(address);
  if (isIPv6(address.replace(/%.*$/, ''))) return classifyV6(address);
  return 'not an IP address';
};

/**
 * `policy`, except that loopback addresses are allowed (tests and local development receiving
 * webhooks on 127.0.0.1); every other refusal stands.
 */
export const allowingLoopback =
  (policy: AddressPolicy): AddressPolicy =>
  (address) => {
    const reason = policy(address);
    return reason?.startsWith('loopback') ? null : reason;
  };
