import type { Box } from './geometry';

/**
 * The words of an ALTO, hOCR or PAGE file as its markup states them, read with regular
 * expressions on purpose: a second reading, independent of `libs/ocr-formats`, against which the
 * parsers and the stored words are checked (counts, text and boxes). Boxes are relative to the
 * page ([x0, y0, x1, y1] in 0..1): an ALTO String's HPOS/VPOS/WIDTH/HEIGHT over its Page's
 * WIDTH/HEIGHT (whatever the unit, the ratio is the same), an hOCR word's `bbox` over its page's
 * `bbox`, a PAGE Word's `Coords` bounds over `imageWidth`/`imageHeight`.
 */
export interface FileWord {
  content: string;
  box: Box;
}

export interface FileWords {
  format: 'alto' | 'hocr' | 'page';
  pages: { width: number; height: number; words: FileWord[] }[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00A0' };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Attributes of a start tag, names without their namespace prefix. */
function attributes(tag: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
    found[m[1].slice(m[1].indexOf(':') + 1)] = decode(m[3] ?? m[4]);
  }
  return found;
}

/** The text split at each start tag matching `start`: the tag, and the text up to the next one. */
function sections(text: string, start: RegExp): { tag: string; body: string }[] {
  const matches = [...text.matchAll(start)];
  return matches.map((m, i) => ({
    tag: m[0],
    body: text.slice(m.index! + m[0].length, i + 1 < matches.length ? matches[i + 1].index : text.length),
  }));
}

const num = (value: string | undefined) => (value === undefined || value.trim() === '' ? NaN : Number(value));

const pointsOf = (points: string | undefined) =>
  (points ?? '')
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number);

/** Bounds of "x y x y …" values. */
function boundsOf(values: number[]): Box {
  const xs = values.filter((_, i) => i % 2 === 0);
  const ys = values.filter((_, i) => i % 2 === 1);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

function altoWords(text: string): FileWords {
  const pages = sections(text, /<(?:[\w.-]+:)?Page\b[^>]*>/g).map(({ tag, body }) => {
    const page = attributes(tag);
    const raw = [...body.matchAll(/<(?:[\w.-]+:)?String\b[^>]*?(?:\/>|>([\s\S]*?)<\/(?:[\w.-]+:)?String>)/g)]
      .map((m) => ({ a: attributes(m[0].slice(0, m[0].indexOf('>') + 1)), inner: m[1] ?? '' }))
      .map(({ a, inner }) => {
        // A Shape/Polygon states the outline more exactly than HPOS/VPOS/WIDTH/HEIGHT: its bounds then.
        const polygon = /<(?:[\w.-]+:)?Polygon\b[^>]*>/.exec(inner);
        const values = polygon ? pointsOf(attributes(polygon[0]).POINTS) : [];
        const box: Box =
          values.length >= 6
            ? boundsOf(values)
            : [num(a.HPOS), num(a.VPOS), num(a.HPOS) + num(a.WIDTH), num(a.VPOS) + num(a.HEIGHT)];
        return { content: (a.CONTENT ?? '').trim(), box };
      })
      .filter((w) => w.content && w.box.every(Number.isFinite));
    let [width, height] = [num(page.WIDTH), num(page.HEIGHT)];
    if (!(width > 0 && height > 0)) {
      width = Math.max(...raw.map((w) => w.box[2]));
      height = Math.max(...raw.map((w) => w.box[3]));
    }
    const words = raw.map((w) => ({
      content: w.content,
      box: [w.box[0] / width, w.box[1] / height, w.box[2] / width, w.box[3] / height] as Box,
    }));
    return { width, height, words };
  });
  return { format: 'alto', pages };
}

const bboxOf = (title: string | undefined) => {
  const m = /\bbbox\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)/.exec(title ?? '');
  return m ? (m.slice(1).map(Number) as Box) : null;
};

function hocrWords(text: string): FileWords {
  const classed = (cls: string) =>
    new RegExp(`<\\w+\\b[^>]*\\bclass\\s*=\\s*["'][^"']*\\b${cls}\\b[^"']*["'][^>]*>`, 'g');
  const pages = sections(text, classed('ocr_page')).map(({ tag, body }) => {
    const [, , width, height] = bboxOf(attributes(tag).title) ?? [0, 0, NaN, NaN];
    const words = sections(body, classed('ocrx_word'))
      .map(({ tag: wordTag, body: rest }) => {
        // The word's text: up to the first end tag (its own, or that of markup inside it like
        // <strong>; in tag soup the next word ends the section), markup removed.
        const end = rest.indexOf('</');
        const content = decode((end >= 0 ? rest.slice(0, end) : rest).replace(/<[^>]*>/g, '')).trim();
        const box = bboxOf(attributes(wordTag).title);
        return box && content
          ? { content, box: [box[0] / width, box[1] / height, box[2] / width, box[3] / height] as Box }
          : null;
      })
      .filter((w): w is FileWord => w !== null);
    return { width, height, words };
  });
  return { format: 'hocr', pages };
}

function pageXmlWords(text: string): FileWords {
  const pages = sections(text, /<(?:[\w.-]+:)?Page\b[^>]*>/g).map(({ tag, body }) => {
    const page = attributes(tag);
    const [width, height] = [num(page.imageWidth), num(page.imageHeight)];
    const words = [...body.matchAll(/<(?:[\w.-]+:)?Word\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?Word>/g)]
      .map((m) => {
        const coords = /<(?:[\w.-]+:)?Coords\b[^>]*>/.exec(m[1]);
        const values = pointsOf(coords ? attributes(coords[0]).points : undefined);
        // The word's own TextEquiv follows its Glyphs: the last Unicode in it.
        const unicodes = [...m[1].matchAll(/<(?:[\w.-]+:)?Unicode>([\s\S]*?)<\/(?:[\w.-]+:)?Unicode>/g)];
        const content = unicodes.length ? decode(unicodes[unicodes.length - 1][1]).trim() : '';
        if (!content || values.length < 4) return null;
        const [x0, y0, x1, y1] = boundsOf(values);
        return { content, box: [x0 / width, y0 / height, x1 / width, y1 / height] as Box };
      })
      .filter((w): w is FileWord => w !== null);
    return { width, height, words };
  });
  return { format: 'page', pages };
}

/** The file's words per page, by its root element: ALTO, PAGE, else hOCR. */
export function wordsInOcrFile(bytes: Buffer): FileWords {
  const text = bytes.toString('utf8');
  if (/<(?:[\w.-]+:)?alto\b/.test(text)) return altoWords(text);
  if (/<(?:[\w.-]+:)?PcGts\b/.test(text)) return pageXmlWords(text);
  return hocrWords(text);
}

/** A word as compared across readings: case, Unicode form and a line-end hyphen left out. */
export const comparableWord = (content: string) =>
  content
    .normalize('NFC')
    .toLowerCase()
    .replace(/[-\u00AD\u2010¬⸗=]+$/u, '');

/**
 * Pairs two word sequences in reading order by their comparable text, resynchronising after a
 * word one side lacks (looking up to `window` words ahead on either side). Returns index pairs.
 */
export function alignWords(a: { content: string }[], b: { content: string }[], window = 30): [number, number][] {
  const pairs: [number, number][] = [];
  const ka = a.map((w) => comparableWord(w.content));
  const kb = b.map((w) => comparableWord(w.content));
  let [i, j] = [0, 0];
  while (i < a.length && j < b.length) {
    if (ka[i] === kb[j]) {
      pairs.push([i++, j++]);
      continue;
    }
    let step: [number, number] | null = null;
    for (let d = 1; d <= window && !step; d++) {
      if (j + d < b.length && ka[i] === kb[j + d]) step = [0, d];
      else if (i + d < a.length && ka[i + d] === kb[j]) step = [d, 0];
    }
    if (step) [i, j] = [i + step[0], j + step[1]];
    else [i, j] = [i + 1, j + 1];
  }
  return pairs;
}
