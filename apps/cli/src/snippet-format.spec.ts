import { formatSnippet } from './snippet-format';
import { textTable } from './text-table';

describe('formatSnippet', () => {
  it('turns marks into brackets and decodes entities', () => {
    expect(formatSnippet('… Tom &amp; <mark>Jerry</mark> &lt;b&gt; &#39;x&#39;\n  y', 'plain')).toBe(
      "… Tom & [Jerry] <b> 'x' y",
    );
  });

  it('turns marks into bold on a terminal', () => {
    expect(formatSnippet('<mark>fox</mark>', 'ansi')).toBe('\x1b[1mfox\x1b[22m');
  });
});

describe('textTable', () => {
  it('aligns columns by visible width and cuts the last column to the line', () => {
    const table = textTable(
      ['A', 'B'],
      [
        ['x', '\x1b[1mbold\x1b[22m and more text that is long'],
        ['long cell', 'y'],
      ],
      31,
    );
    const lines = table.split('\n');
    expect(lines[0]).toBe('A          B');
    expect(lines[2].startsWith('x          \x1b[1mbold')).toBe(true);
    expect(lines[2].replace(new RegExp(String.fromCharCode(27) + '\\[[0-9;]*m', 'g'), '')).toHaveLength(31);
    expect(lines[3]).toBe('long cell  y');
  });
});
