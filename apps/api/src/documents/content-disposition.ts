/**
 * An `attachment` Content-Disposition for any file name (RFC 6266): an ASCII `filename` for old
 * clients and the exact name as UTF-8 in `filename*`.
 */
export function attachment(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
