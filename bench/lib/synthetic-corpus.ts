import type { PageIndexDocument } from '@recto/search';
import { loadAllScans } from '@recto/testing';
import { createHash, randomUUID } from 'node:crypto';

/** Deterministic PRNG (mulberry32), so every run generates the same corpus. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES =
  'ba be bi bo bu ca ce co da de di do fa fe fi ga ge go ha he hi ka ke ki ko la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po ra re ri ro ru sa se si so ta te ti to tu va ve vi wa we ya za ze zo'.split(
    ' ',
  );

/**
 * A vocabulary in frequency order: the real words of the dev scans' ground truth (so the head of
 * the distribution is the English and German of business forms and books), then invented words.
 */
export function buildVocabulary(size: number): string[] {
  const counts = new Map<string, number>();
  for (const scan of loadAllScans()) {
    const text = [...scan.words, ...scan.lines].map((w) => w.text).join(' ');
    for (const raw of text.split(/\s+/)) {
      const word = raw.toLowerCase().replace(/[^a-zäöüß]/g, '');
      if (word.length >= 2) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  const words = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
  const seen = new Set(words);
  const random = prng(7);
  while (words.length < size) {
    const length = 2 + Math.floor(random() * 3);
    let word = '';
    for (let i = 0; i < length; i++) word += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    if (!seen.has(word)) {
      seen.add(word);
      words.push(word);
    }
  }
  return words.slice(0, size);
}

/** Samples ranks 0..n-1 with probability ∝ 1 / (rank + 1)^s, as word frequencies in text go. */
export function zipfSampler(n: number, s: number, random: () => number): () => number {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) cdf[i] = total += 1 / (i + 1) ** s;
  return () => {
    const x = random() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export interface SyntheticWord {
  content: string;
  polygon: [number, number][];
  confidence: number;
  line: number;
  charStart: number;
  charEnd: number;
}

export interface SyntheticPage {
  id: string;
  documentId: string;
  number: number;
  content: string;
  words: SyntheticWord[];
}

export interface SyntheticDocument {
  id: string;
  sha256: string;
  filename: string;
  createdAt: Date;
  pages: SyntheticPage[];
}

export interface CorpusOptions {
  vocabulary: string[];
  pagesPerDocument: number;
  /** Words per page, drawn uniformly from this range. */
  wordsPerPage: [number, number];
  seed: number;
}

/**
 * Documents shaped like OCR output: lines of words laid out top to bottom on a page, each word
 * with its polygon (relative, clockwise from top-left) and its offsets in the page text, built
 * exactly as the pipeline builds them (words joined by spaces, lines by newlines).
 */
export class SyntheticCorpus {
  private readonly random: () => number;
  private readonly sample: () => number;
  private serial = 0;

  constructor(private readonly options: CorpusOptions) {
    this.random = prng(options.seed);
    this.sample = zipfSampler(options.vocabulary.length, 1.05, this.random);
  }

  nextDocument(): SyntheticDocument {
    const serial = this.serial++;
    const id = randomUUID();
    const pages = Array.from({ length: this.options.pagesPerDocument }, (_, i) => this.page(id, i + 1));
    return {
      id,
      sha256: createHash('sha256').update(`synthetic-${id}`).digest('hex'),
      filename: `synthetic-${String(serial).padStart(6, '0')}.pdf`,
      createdAt: new Date(Date.UTC(2024, 0, 1) + serial * 60_000),
      pages,
    };
  }

  private page(documentId: string, number: number): SyntheticPage {
    const { vocabulary, wordsPerPage } = this.options;
    const random = this.random;
    const count = wordsPerPage[0] + Math.floor(random() * (wordsPerPage[1] - wordsPerPage[0] + 1));
    const words: SyntheticWord[] = [];
    let content = '';
    let line = 0;
    let x = 0.08;
    let inLine = 0;
    let lineLength = 6 + Math.floor(random() * 9);
    for (let i = 0; i < count; i++) {
      if (inLine === lineLength) {
        line++;
        inLine = 0;
        x = 0.08;
        lineLength = 6 + Math.floor(random() * 9);
      }
      let text = vocabulary[this.sample()];
      if (inLine === 0 && random() < 0.5) text = text[0].toUpperCase() + text.slice(1);
      else if (random() < 0.03) text = text.toUpperCase();
      if (random() < 0.06) text += random() < 0.5 ? ',' : '.';
      if (i > 0) content += inLine === 0 ? '\n' : ' ';
      const charStart = content.length;
      content += text;
      const width = 0.0095 * text.length + 0.004;
      const y = 0.06 + (line % 60) * 0.0145;
      const [x0, y0, x1, y1] = [x, y, Math.min(0.97, x + width), y + 0.011];
      words.push({
        content: text,
        polygon: [
          [r4(x0), r4(y0)],
          [r4(x1), r4(y0)],
          [r4(x1), r4(y1)],
          [r4(x0), r4(y1)],
        ],
        confidence: r4(0.6 + random() * 0.4),
        line,
        charStart,
        charEnd: content.length,
      });
      x = x1 + 0.008;
      inLine++;
    }
    return { id: randomUUID(), documentId, number, content, words };
  }
}

function r4(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}

export interface BenchQuery {
  kind: 'common' | 'mid' | 'rare' | 'two-word';
  q: string;
}

/** The query mix: very frequent words, middling ones, rare ones and two-word queries. */
export function queryMix(vocabulary: string[]): BenchQuery[] {
  const pick = (from: number, n: number) => vocabulary.slice(from, from + n);
  const common = pick(3, 10).map((q) => ({ kind: 'common' as const, q }));
  const mid = pick(200, 10).map((q) => ({ kind: 'mid' as const, q }));
  const rare = pick(8000, 10).map((q) => ({ kind: 'rare' as const, q }));
  const pairs = pick(100, 20);
  const twoWord = Array.from({ length: 10 }, (_, i) => ({
    kind: 'two-word' as const,
    q: `${pairs[i]} ${pairs[i + 10]}`,
  }));
  return [...common, ...mid, ...rare, ...twoWord];
}

/** A synthetic document's pages as the search index stores them (with the ids Postgres gave them, if any). */
export function indexPagesOf(
  doc: SyntheticDocument,
  tenantId: string,
  pageIds: readonly string[] = doc.pages.map((p) => p.id),
): PageIndexDocument[] {
  return doc.pages.map((page, i) => ({
    id: pageIds[i],
    tenant_id: tenantId,
    document_id: doc.id,
    page_number: page.number,
    content: page.content,
    filename: doc.filename,
    mime_type: 'application/pdf',
    created_at: doc.createdAt.getTime(),
    metadata: {},
  }));
}
