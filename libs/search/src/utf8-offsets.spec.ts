import { utf8SpansToUtf16 } from './utf8-offsets';

/** What Meilisearch would report: the byte span of `needle`'s first occurrence. */
function byteSpan(text: string, needle: string): { start: number; length: number } {
  const index = text.indexOf(needle);
  return {
    start: Buffer.byteLength(text.slice(0, index)),
    length: Buffer.byteLength(needle),
  };
}

describe('utf8SpansToUtf16', () => {
  it('maps the byte offsets measured on Meilisearch 1.21 (Ä, ü, é, 😀 before the word)', () => {
    const text = 'Ärger über café 😀 société';
    expect(byteSpan(text, 'société')).toEqual({ start: 24, length: 9 });
    expect(utf8SpansToUtf16(text, [{ start: 24, length: 9 }])).toEqual([{ start: 19, length: 7 }]);
  });

  it.each([
    ['ASCII', 'plain text with words', 'words'],
    ['CJK', '東京都の検索エンジンで文書を探す', '文書'],
    ['Arabic', 'مرحبا بالعالم في البحث', 'العالم'],
    ['emoji (astral, 2 units)', '🎉🎉 party 👩‍👩‍👧 family', 'family'],
    ['combining marks', 'e\u0301te\u0301 cafe\u0301', 'cafe\u0301'],
    ['Devanagari', 'हिन्दी में खोज', 'खोज'],
  ])('round-trips %s', (_script, text, needle) => {
    const [span] = utf8SpansToUtf16(text, [byteSpan(text, needle)]);
    expect(text.slice(span.start, span.start + span.length)).toBe(needle);
  });

  it('keeps the input order and converts several spans in one pass', () => {
    const text = 'ñ a ñ b ñ c';
    const spans = [byteSpan(text, 'c'), byteSpan(text, 'a'), byteSpan(text, 'b')];
    expect(utf8SpansToUtf16(text, spans).map((s) => text.slice(s.start, s.start + s.length))).toEqual(['c', 'a', 'b']);
  });

  it('widens a boundary inside a character to whole characters', () => {
    const text = 'x😀y';
    // byte 2 and 3 are inside the emoji (bytes 1..4)
    expect(utf8SpansToUtf16(text, [{ start: 2, length: 1 }])).toEqual([{ start: 1, length: 2 }]);
  });

  it('clamps spans beyond the text', () => {
    expect(utf8SpansToUtf16('abc', [{ start: 2, length: 10 }])).toEqual([{ start: 2, length: 1 }]);
    expect(utf8SpansToUtf16('abc', [{ start: 10, length: 2 }])).toEqual([{ start: 3, length: 0 }]);
  });

  it('counts a lone surrogate as the 3-byte replacement character', () => {
    const text = 'a\uD800b';
    expect(utf8SpansToUtf16(text, [{ start: 4, length: 1 }])).toEqual([{ start: 2, length: 1 }]);
  });

  it('returns nothing for no spans', () => {
    expect(utf8SpansToUtf16('abc', [])).toEqual([]);
  });
});
