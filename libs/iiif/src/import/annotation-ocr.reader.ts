import type { OcrWord } from '@recto/ocr';
import { relativeQuad, splitLine } from '@recto/ocr-formats';
import { svgOutline } from './svg-selector.parser';

/** The canvas the annotations are read for: only annotations targeting its id count, in its coordinate space. */
export interface AnnotationCanvas {
  id: string;
  width: number;
  height: number;
}

type Json = Record<string, unknown>;
type Xy = [number, number];
interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);
const idOf = (v: unknown): string | null => (isObject(v) ? (str(v.id) ?? str(v['@id'])) : str(v));
/** `oa:Annotation`, `sc:painting`, `http://www.w3.org/ns/oa#commenting` → `annotation`, `painting`, `commenting`. */
const bare = (v: unknown): string =>
  String(v ?? '')
    .replace(/^.*[#/:]/, '')
    .toLowerCase();
const typeOf = (v: Json): string => bare(v.type ?? v['@type']);

/**
 * Motivations whose text is the page's own: a transcription (`supplementing`, the Presentation 3
 * way; `transcribing`) or text painted on the canvas (`painting`, v2 `sc:painting`, what v2
 * producers and Content Search 1 use). `commenting` is read only for a canvas that has none of
 * these, as some annotation tools (Mirador 2's) store transcriptions as comments, while a canvas
 * with a transcription and comments should not index the comments as its text. Anything else
 * (tagging, describing, linking, highlighting…) is not text of the page. No motivation at all is
 * read as a transcription: several v2 producers leave it out.
 */
const TEXT_MOTIVATIONS = new Set(['supplementing', 'transcribing', 'painting']);
const FALLBACK_MOTIVATION = 'commenting';

/** `textGranularity` (the IIIF text-granularity extension) whose annotations are below a word: not read. */
const BELOW_WORDS = new Set(['glyph']);

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * The text of an HTML body: tags dropped (block ends and `<br>` as line breaks; scripts and
 * styles with their content), entities decoded.
 * Bodies are only indexed, never rendered as HTML (snippets are escaped), so dropping tags rather
 * than skipping the body keeps the words of tools that wrap every transcription in `<p>`.
 */
function htmlText(html: string): string {
  return html
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<(br|hr)\b[^>]*>|<\/(p|div|li|h[1-6]|tr)\s*>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, name: string) => {
      if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? all;
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
    });
}

/**
 * The text of a body (v3 `body`, v2 `resource`): a TextualBody's `value` or a ContentAsText /
 * dctypes:Text's `chars`, HTML ones as text, the default (or first) of a Choice, the first text of
 * a list. Null for images, tags (`purpose: tagging`, `oa:Tag`) and bodies that are only links.
 */
function bodyText(body: unknown): string | null {
  for (const b of asArray(body)) {
    if (!isObject(b)) continue;
    const type = typeOf(b);
    if (type === 'choice') {
      const text = bodyText(b.default ?? asArray(b.items ?? b.item)[0]);
      if (text !== null) return text;
      continue;
    }
    if (type === 'tag' || asArray(b.purpose).some((p) => bare(p) === 'tagging')) continue;
    const raw = typeof b.value === 'string' ? b.value : typeof b.chars === 'string' ? b.chars : null;
    if (raw === null) continue;
    const html = String(b.format ?? '').includes('html') || /<\/?[a-z][^>]*>/i.test(raw);
    const text = (html ? htmlText(raw) : raw).trim();
    if (text) return text;
  }
  return null;
}

/** `xywh=`, `xywh=pixel:` and `xywh=percent:` (Media Fragments) as a box in canvas units, clipped to the canvas. */
function fragmentBox(fragment: string, canvas: AnnotationCanvas): Box | null {
  const m = /(?:^|[#&])xywh=(?:(pixel|percent):)?([^&]*)/i.exec(fragment);
  if (!m) return null;
  const values = m[2].split(',').map((v) => Number(v.trim()));
  if (values.length !== 4 || values.some((v) => !Number.isFinite(v))) return null;
  let [x, y, w, h] = values;
  if (m[1]?.toLowerCase() === 'percent') {
    [x, w] = [(x * canvas.width) / 100, (w * canvas.width) / 100];
    [y, h] = [(y * canvas.height) / 100, (h * canvas.height) / 100];
  }
  const box = {
    x0: Math.max(0, x),
    y0: Math.max(0, y),
    x1: Math.min(canvas.width, x + w),
    y1: Math.min(canvas.height, y + h),
  };
  return box.x1 > box.x0 && box.y1 > box.y0 ? box : null;
}

/** Where on the canvas a text is: its bounding box, and its outline when that is not the box (an SVG polygon). */
interface Region {
  box: Box;
  outline: Xy[] | null;
}

const corners = ({ x0, y0, x1, y1 }: Box): Xy[] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
];

/** An SVG outline's region: its bounding box clipped to the canvas. */
function svgRegion(svg: string, canvas: AnnotationCanvas): Region | null {
  const outline = svgOutline(svg);
  if (!outline) return null;
  const box = {
    x0: Math.max(0, Math.min(...outline.map((p) => p[0]))),
    y0: Math.max(0, Math.min(...outline.map((p) => p[1]))),
    x1: Math.min(canvas.width, Math.max(...outline.map((p) => p[0]))),
    y1: Math.min(canvas.height, Math.max(...outline.map((p) => p[1]))),
  };
  return box.x1 > box.x0 && box.y1 > box.y0 ? { box, outline } : null;
}

/**
 * A selector's region: a FragmentSelector's `xywh` (exact, so preferred), else an SvgSelector's
 * shape; a Choice's default first, then its items (Mirador 2 pairs a fragment with an SVG).
 */
function selectorRegion(selector: unknown, canvas: AnnotationCanvas): Region | null {
  const flat: Json[] = [];
  const add = (v: unknown) => {
    for (const s of asArray(v)) {
      if (!isObject(s)) continue;
      if (typeOf(s) === 'choice') add([s.default, ...asArray(s.items ?? s.item)]);
      else flat.push(s);
    }
  };
  add(selector);
  for (const s of flat) {
    const value = str(s.value);
    const box = value && typeOf(s) === 'fragmentselector' ? fragmentBox(value, canvas) : null;
    if (box) return { box, outline: null };
  }
  for (const s of flat) {
    const value = str(s.value);
    const region = value && typeOf(s) === 'svgselector' ? svgRegion(value, canvas) : null;
    if (region) return region;
  }
  return null;
}

/**
 * Where an annotation points on this canvas. Targets are `canvas#xywh=…` strings, a Canvas
 * object with such an id, or a SpecificResource (`source`, v2 `full`) with a FragmentSelector or
 * an SvgSelector; a list of targets gives the first on this canvas with a region.
 */
function targetRegion(target: unknown, canvas: AnnotationCanvas): Region | null {
  for (const t of asArray(target)) {
    let region: Region | null = null;
    if (isObject(t) && (t.source !== undefined || t.full !== undefined || t.selector !== undefined)) {
      const source = idOf(t.source ?? t.full);
      if (!source) continue;
      // A selector-less SpecificResource may still carry the fragment on its source.
      const [id, fragment] = source.split('#', 2);
      if (id !== canvas.id) continue;
      region = selectorRegion(t.selector, canvas);
      if (!region && fragment) {
        const box = fragmentBox(fragment, canvas);
        region = box && { box, outline: null };
      }
    } else {
      const [id, fragment] = (idOf(t) ?? '').split('#', 2);
      const box = id === canvas.id && fragment ? fragmentBox(fragment, canvas) : null;
      region = box && { box, outline: null };
    }
    if (region) return region;
  }
  return null;
}

interface TextRegion extends Region {
  text: string;
}

/**
 * Words of one region: a one-line text cut along its outline (its box, or an SVG shape's minimum
 * rotated rectangle) by {@link splitLine}; a text of several lines, each line a horizontal band of
 * the box, cut the same way.
 */
function regionWords(region: TextRegion): { content: string; outline: Xy[]; band: number }[] {
  const lines = region.text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length === 1) {
    return splitLine(region.outline ?? corners(region.box), lines[0]).map((w) => ({ ...w, band: 0 }));
  }
  const { x0, y0, x1, y1 } = region.box;
  const band = (y1 - y0) / lines.length;
  return lines.flatMap((line, i) =>
    splitLine(corners({ x0, y0: y0 + band * i, x1, y1: y0 + band * (i + 1) }), line).map((w) => ({ ...w, band: i })),
  );
}

/**
 * The regions without those that repeat finer ones: a page offering its text at several
 * granularities (word and line AnnotationPages, as the text-granularity extension suggests) would
 * otherwise be read twice. A region of several words is dropped when a smaller region (or the same
 * one, earlier) has its centre inside it and its first word in its text: a line over its words, a
 * block over its lines, a list referenced twice under two names.
 */
function withoutCoarser(regions: TextRegion[]): TextRegion[] {
  const areas = regions.map(({ box: b }) => (b.x1 - b.x0) * (b.y1 - b.y0));
  const cx = regions.map(({ box: b }) => (b.x0 + b.x1) / 2);
  const cy = regions.map(({ box: b }) => (b.y0 + b.y1) / 2);
  const folded = regions.map((r) => r.text.toLowerCase());
  return regions.filter(({ text, box }, i) => {
    if (!/\s/.test(text)) return true;
    for (let j = 0; j < regions.length; j++) {
      if (j === i || cx[j] < box.x0 || cx[j] > box.x1 || cy[j] < box.y0 || cy[j] > box.y1) continue;
      const smaller = areas[j] < areas[i] || (areas[j] === areas[i] && j < i);
      if (smaller && folded[i].includes(folded[j].split(/\s+/)[0])) return false;
    }
    return true;
  });
}

/**
 * Whether a one-word region continues the previous one's line: the next word to the right, its
 * vertical centre within half the previous word's height of the previous centre (word-level
 * annotations carry no line, and phrase highlights merge by line).
 */
function continuesLine(previous: Box, next: Box): boolean {
  const centre = (b: Box) => (b.y0 + b.y1) / 2;
  return next.x0 >= previous.x0 && Math.abs(centre(next) - centre(previous)) < (previous.y1 - previous.y0) / 2;
}

/**
 * A canvas's words from the text annotations of its annotation pages (Presentation 3
 * AnnotationPages, Presentation 2 `sc:AnnotationList`s, as fetched or inline), in the pages'
 * order then the annotations', as Recto's OCR words: relative polygons (canvas units over the
 * canvas's size) clockwise from the top-left, no confidence (annotations carry none).
 *
 * Read are annotations with a text body (TextualBody, ContentAsText, dctypes:Text; HTML as its
 * text) and a region of this canvas (`xywh`, `pixel:` or `percent:`; else an SVG polygon, rect or
 * path, kept as its minimum rotated rectangle, so a slanted line gets slanted words). An annotation with several
 * words (line or block granularity) has them cut out of its box: one band per line of its text,
 * each band cut along its width in proportion to the words' characters, spaces included (the
 * estimate hOCR and PAGE lines without words get, {@link splitLine}); they share one line index,
 * so a phrase's highlight is their union and a whole line's is the annotation's box. One-word
 * annotations side by side on a row share a line. Skipped: annotations of other canvases or of
 * the whole canvas (no region to highlight), non-text bodies, glyph-level annotations, and text
 * that finer annotations already give ({@link withoutCoarser}).
 */
export function readAnnotationOcr(canvas: AnnotationCanvas, pages: unknown[]): OcrWord[] {
  const text: TextRegion[] = [];
  const comments: TextRegion[] = [];
  for (const page of pages) {
    if (!isObject(page)) continue;
    for (const annotation of [...asArray(page.items), ...asArray(page.resources)]) {
      if (!isObject(annotation)) continue;
      const motivations = asArray(annotation.motivation).map(bare);
      const isText = motivations.length === 0 || motivations.some((m) => TEXT_MOTIVATIONS.has(m));
      if (!isText && !motivations.includes(FALLBACK_MOTIVATION)) continue;
      if (BELOW_WORDS.has(bare(annotation.textGranularity))) continue;
      const body = bodyText(annotation.body ?? annotation.resource);
      if (body === null) continue;
      const region = targetRegion(annotation.target ?? annotation.on, canvas);
      if (!region) continue;
      (isText ? text : comments).push({ text: body, ...region });
    }
  }
  const words: OcrWord[] = [];
  let line = -1;
  let previous: { box: Box; single: boolean } | null = null;
  for (const region of withoutCoarser(text.length > 0 ? text : comments)) {
    const parts = regionWords(region);
    if (parts.length === 0) continue;
    const single = parts.length === 1;
    if (!(single && previous?.single && continuesLine(previous.box, region.box))) line += 1;
    const first = line;
    for (const part of parts) {
      line = first + part.band;
      words.push({
        content: part.content,
        polygon: relativeQuad(part.outline, canvas.width, canvas.height),
        confidence: null,
        line,
      });
    }
    previous = { box: region.box, single };
  }
  return words;
}
