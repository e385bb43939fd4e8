/** If-None-Match uses weak comparison (RFC 9110 §13.1.2): `W/` prefixes do not matter. */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
