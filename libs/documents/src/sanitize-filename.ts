// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * A display name from whatever the client sent: no directories, no control characters, bounded.
 * It is only ever stored and shown, never used as a path.
 */
export function sanitizeFilename(raw: string | undefined | null, fallback: string): string {
  if (!raw) return fallback;
  const base = raw.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(CONTROL_CHARACTERS, '').trim().slice(0, 255);
  return clean === '' || clean === '.' || clean === '..' ? fallback : clean;
}
