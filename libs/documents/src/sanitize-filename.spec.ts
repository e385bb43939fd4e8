import { sanitizeFilename } from './sanitize-filename';

describe('sanitizeFilename', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\boot.ini', 'boot.ini'],
    ['scan\u0000\u001b[31m.png', 'scan[31m.png'],
    ['..', 'fallback.pdf'],
    ['', 'fallback.pdf'],
    ['  Rechnung März.pdf ', 'Rechnung März.pdf'],
  ])('%j → %j', (raw, expected) => {
    expect(sanitizeFilename(raw, 'fallback.pdf')).toBe(expected);
  });

  it('bounds the length', () => {
    expect(sanitizeFilename('a'.repeat(1000), 'x')).toHaveLength(255);
  });
});
