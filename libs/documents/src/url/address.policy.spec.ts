import { ipv6ToBigInt, publicAddressesOnly } from './address.policy';

describe('publicAddressesOnly', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['100.64.0.1', 'shared address space'],
    ['100.127.255.254', 'shared address space'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['169.254.0.1', 'link-local'],
    ['169.254.169.254', 'cloud metadata'],
    ['169.254.170.2', 'cloud metadata'],
    ['100.100.100.200', 'cloud metadata'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.0.0.8', 'IETF'],
    ['192.0.2.10', 'documentation'],
    ['192.88.99.1', '6to4 relay'],
    ['192.168.1.1', 'private'],
    ['198.18.0.1', 'benchmarking'],
    ['198.19.255.255', 'benchmarking'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
  ])('refuses IPv4 %s (%s)', (ip, reason) => {
    expect(publicAddressesOnly(ip)).toContain(reason);
  });

  it.each([
    '1.1.1.1',
    '8.8.8.8',
    '93.184.216.34',
    '172.15.255.255',
    '172.32.0.1',
    '100.63.255.255',
    '100.128.0.1',
    '11.0.0.1',
    '223.255.255.254',
    '169.253.0.1',
    '192.169.0.1',
  ])('accepts public IPv4 %s', (ip) => {
    expect(publicAddressesOnly(ip)).toBeNull();
  });

  it.each([
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['fec0::1', 'site-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['ff02::1', 'multicast'],
    ['ff05::1:3', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['2001::1', 'IETF'],
    ['100::1', 'discard-only'],
    ['64:ff9b:1::1', 'NAT64'],
    ['::127.0.0.1', 'IPv4-compatible'],
    ['4000::1', 'reserved'],
  ])('refuses IPv6 %s (%s)', (ip, reason) => {
    expect(publicAddressesOnly(ip)).toContain(reason);
  });

  it.each([
    ['::ffff:127.0.0.1', 'loopback (IPv4-mapped 127.0.0.1)'],
    ['::ffff:7f00:1', 'loopback (IPv4-mapped 127.0.0.1)'],
    ['::FFFF:10.1.2.3', 'private (IPv4-mapped 10.1.2.3)'],
    ['0:0:0:0:0:ffff:a9fe:a9fe', 'cloud metadata (IPv4-mapped 169.254.169.254)'],
    ['::ffff:192.168.0.1', 'private (IPv4-mapped 192.168.0.1)'],
    ['64:ff9b::7f00:1', 'loopback (NAT64 127.0.0.1)'],
    ['64:ff9b::169.254.169.254', 'cloud metadata (NAT64 169.254.169.254)'],
    ['2002:7f00:1::1', 'loopback (6to4 127.0.0.1)'],
    ['2002:c0a8:101::', 'private (6to4 192.168.1.1)'],
  ])('judges IPv4 inside IPv6 %s by the IPv4 address', (ip, reason) => {
    expect(publicAddressesOnly(ip)).toBe(reason);
  });

  it.each([
    '2606:4700:4700::1111',
    '2001:4860:4860::8888',
    '2a00:1450:4001:82b::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('accepts public IPv6 %s', (ip) => {
    expect(publicAddressesOnly(ip)).toBeNull();
  });

  it('refuses what is not an address', () => {
    expect(publicAddressesOnly('localhost')).toBe('not an IP address');
    expect(publicAddressesOnly('')).toBe('not an IP address');
  });

  it('expands IPv6 forms to the same value', () => {
    expect(ipv6ToBigInt('::ffff:127.0.0.1')).toBe(ipv6ToBigInt('0:0:0:0:0:ffff:7f00:0001'));
    expect(ipv6ToBigInt('2001:db8::')).toBe(0x20010db8n << 96n);
  });
});
