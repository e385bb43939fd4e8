import { IndexMatch } from './search-index.interface';

/**
 * Converts spans measured in UTF-8 bytes (as Meilisearch reports `_matchesPosition`) into spans of
 * UTF-16 code units (JS string indexes) of the same text.
 *
 * All boundaries are resolved in one pass over the text. A boundary falling inside a character
 * (which a well-behaved engine never reports) is widened to whole characters, and spans are
 * clamped to the text so a stale or corrupt position can never produce an out-of-range slice.
 */
export function utf8SpansToUtf16(text: string, spans: readonly IndexMatch[]): IndexMatch[] {
  if (spans.length === 0) return [];
  const boundaries = new Set<number>();
  for (const span of spans) {
    boundaries.add(span.start);
    boundaries.add(span.start + span.length);
  }
  const sorted = [...boundaries].sort((a, b) => a - b);
  // byte offset -> [utf16 offset of the char containing it, utf16 offset after that char]
  const floor = new Map<number, number>();
  const ceil = new Map<number, number>();

  let byte = 0;
  let unit = 0;
  let next = 0;
  while (next < sorted.length && unit < text.length) {
    const code = text.codePointAt(unit)!;
    const units = code > 0xffff ? 2 : 1;
    const bytes = utf8Length(code);
    while (next < sorted.length && sorted[next] < byte + bytes) {
      const target = sorted[next];
      if (target <= byte) {
        floor.set(target, unit);
        ceil.set(target, unit);
      } else {
        floor.set(target, unit);
        ceil.set(target, unit + units);
      }
      next++;
    }
    byte += bytes;
    unit += units;
  }
  for (; next < sorted.length; next++) {
    floor.set(sorted[next], text.length);
    ceil.set(sorted[next], text.length);
  }

  return spans.map((span) => {
    const start = floor.get(span.start)!;
    const end = ceil.get(span.start + span.length)!;
    return { start, length: Math.max(0, end - start) };
  });
}

/** Bytes of one code point in UTF-8; a lone surrogate is sent as U+FFFD, 3 bytes. */
function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}
