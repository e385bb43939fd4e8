import { buildSnippet, escapeHtml, segmentWords } from './snippet.builder';

const at = (content: string, needle: string, from = 0) => ({
  start: content.indexOf(needle, from),
  length: needle.length,
});

const numbered = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');

describe('buildSnippet', () => {
  it('wraps matches in <mark> and keeps short content whole', () => {
    const content = 'Invoice total due';
    expect(buildSnippet(content, [at(content, 'total')])).toBe('Invoice <mark>total</mark> due');
  });

  it('escapes HTML in content and in matches', () => {
    const content = `<script>alert("x")</script> Tom & Jerry's <b>bold</b>`;
    const html = buildSnippet(content, [at(content, 'script'), at(content, 'Jerry')]);
    expect(html).toBe(
      '&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/script&gt; Tom &amp; <mark>Jerry</mark>&#39;s &lt;b&gt;bold&lt;/b&gt;',
    );
    expect(html).not.toMatch(/<(?!\/?mark>)/);
  });

  it('cuts around the match with ellipses at both ends, on whole words', () => {
    const content = numbered(100);
    const html = buildSnippet(content, [at(content, 'w50')], { words: 5 });
    expect(html).toBe('… w48 w49 <mark>w50</mark> w51 w52 …');
  });

  it('handles a match at the very start and at the very end', () => {
    const content = numbered(100);
    expect(buildSnippet(content, [at(content, 'w0')], { words: 3 })).toBe('<mark>w0</mark> w1 w2 …');
    expect(buildSnippet(content, [at(content, 'w99')], { words: 3 })).toBe('… w97 w98 <mark>w99</mark>');
  });

  it('prefers the densest cluster of matches over the first one', () => {
    const content = numbered(100);
    const matches = [at(content, 'w5 '), at(content, 'w60'), at(content, 'w61'), at(content, 'w62')];
    matches[0].length = 2;
    expect(buildSnippet(content, matches, { words: 5 })).toBe(
      '… w59 <mark>w60</mark> <mark>w61</mark> <mark>w62</mark> w63 …',
    );
  });

  it('takes the beginning when there is no match', () => {
    expect(buildSnippet(numbered(10), [], { words: 3 })).toBe('w0 w1 w2 …');
  });

  it('keeps punctuation attached to the edge words and collapses whitespace', () => {
    const content = 'Intro.\n\nThe (total)  amount:\n42 EUR, due now.';
    expect(buildSnippet(content, [at(content, 'amount')], { words: 3 })).toBe('… (total) <mark>amount</mark>: 42 …');
  });

  it('marks only the matched part of a word (prefix search)', () => {
    const content = 'la société anonyme';
    expect(buildSnippet(content, [at(content, 'soc')])).toBe('la <mark>soc</mark>iété anonyme');
  });

  it('merges overlapping matches into one mark', () => {
    const content = 'alpha beta gamma';
    expect(buildSnippet(content, [at(content, 'alpha be'), at(content, 'beta')])).toBe('<mark>alpha beta</mark> gamma');
  });

  it('segments scripts without spaces (CJK) into words', () => {
    const content = '東京都の検索エンジンで文書を探します。明日は晴れるでしょう。';
    const html = buildSnippet(content, [at(content, '文書')], { words: 3 });
    expect(html).toContain('<mark>文書</mark>');
    expect(html.startsWith('…')).toBe(true);
    expect(html.endsWith('…')).toBe(true);
    expect(html.replace(/<\/?mark>|…/g, '').length).toBeLessThan(content.length);
  });

  it('handles Arabic and emoji without splitting characters', () => {
    const content = '😀 مرحبا بالعالم في البحث 🎉';
    const html = buildSnippet(content, [at(content, 'العالم')]);
    expect(html).toBe('😀 مرحبا ب<mark>العالم</mark> في البحث 🎉');
  });

  it('trims whitespace at the content edges', () => {
    const content = '\n  first line\nlast  \n';
    expect(buildSnippet(content, [at(content, 'last')])).toBe('first line <mark>last</mark>');
  });

  it('returns an empty string for empty content', () => {
    expect(buildSnippet('', [])).toBe('');
  });
});

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });
});

describe('segmentWords', () => {
  const icu = (content: string) =>
    [...new Intl.Segmenter(undefined, { granularity: 'word' }).segment(content)]
      .filter((s) => s.isWordLike)
      .map((s) => ({ charStart: s.index, charEnd: s.index + s.segment.length }));

  it('finds the same words as Intl.Segmenter over the whole text', () => {
    const samples = [
      'Invoice total due\n42 EUR, due now.',
      "don't e.g. 3.14 1,000 U.S.A. a_b __ x:y co-op (total) «quote» l'été",
      'la société anonyme Straße naïve café\u0301 \u0301abc \u00ADsoft',
      '東京都の請求書 ภาษาไทยง่ายนิดเดียว 한국어 텍스트',
      'emoji 👍🏽 family 👨‍👩‍👧 flags 🇩🇪 and\ttabs\r\nCRLF\u00a0nbsp\u2003em\u3000ideographic',
      'w50 abc123 123abc ABC\vvt\fff  ',
      `(total) abc. 42, 42. x.) 'quoted' "x" [a] a.b. ("y"), 'a'b z:. 1.5. ?! ( ) . ,`,
      '',
    ];
    for (const content of samples) expect(segmentWords(content)).toEqual(icu(content));
  });

  it('finds the same words as Intl.Segmenter around every Latin-1 and Latin Extended character', () => {
    for (let code = 0xa0; code <= 0x2af; code++) {
      const c = String.fromCharCode(code);
      const content = `${c} a${c}b 1${c}2 ${c}${c}. (${c}x) ${c}'s x${c}\u0301 ${c}\u00ad-`;
      expect([code, segmentWords(content)]).toEqual([code, icu(content)]);
    }
  });
});
