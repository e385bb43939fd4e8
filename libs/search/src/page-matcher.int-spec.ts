/**
 * PageMatcher against the engine it stands in for: real OCR text (the vendored ALTO, hOCR and
 * PAGE files, and the dev set's files when RECTO_TEST_OCR_FILES_DIR has them) indexed in a real
 * Meilisearch, queried with words of the pages as written, with typos (first letter kept or not),
 * swapped letters, prefixes, pairs of neighbours and quoted phrases, under each match option. For
 * every hit, the words the engine's match positions cover and the words PageMatcher finds must be
 * the same words, each matched the same way (exact, phrase, prefix, typo).
 */
import { coverageOf } from '@recto/common';
import {
  loadDevOcrFiles,
  OCR_FIXTURES_DIR,
  useTestMeilisearch,
  wordsInOcrFile,
  type TestMeilisearch,
} from '@recto/testing';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MeilisearchAdapter } from './adapters/meilisearch/meilisearch.adapter';
import { ClassifiedMatch, classifyMatches, kindOf } from './match-kind.classifier';
import { PageMatcher } from './page-matcher';
import { MatchOptions, normaliseTerm, parseQuery } from './query-terms.parser';
import type { PageIndexDocument } from './search-index.interface';

jest.setTimeout(600_000);

const TENANT = 'matcher';
const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;

function pagesOfFiles(): string[] {
  const files = readdirSync(OCR_FIXTURES_DIR)
    .filter((name) => !name.endsWith('.md'))
    .map((name) => readFileSync(join(OCR_FIXTURES_DIR, name)));
  let dev: Buffer[] = [];
  try {
    dev = loadDevOcrFiles().map((file) => readFileSync(file.path));
  } catch {
    // The dev set is optional: the vendored files alone are enough to compare.
  }
  const texts: string[] = [];
  for (const bytes of [...files, ...dev]) {
    for (const page of wordsInOcrFile(bytes).pages) {
      const words = page.words.map((w) => w.content).filter(Boolean);
      // Lines of about twelve words, as pages are stored (lines end with a newline).
      const lines: string[] = [];
      for (let i = 0; i < words.length; i += 12) lines.push(words.slice(i, i + 12).join(' '));
      if (lines.length > 0) texts.push(lines.join('\n'));
    }
  }
  return texts;
}

/** Deterministic variants of a page word: the ways people mistype or shorten it. */
function variantsOf(word: string): string[] {
  const letters = [...word];
  const n = letters.length;
  const swap = (i: number, c: string) => [...letters.slice(0, i), c, ...letters.slice(i + 1)].join('');
  const out = [word, word.toUpperCase()];
  if (n >= 4) out.push(letters.slice(0, Math.ceil(n / 2) + 1).join(''));
  if (n >= 5) {
    out.push(swap(Math.floor(n / 2), letters[Math.floor(n / 2)] === 'x' ? 'y' : 'x'));
    out.push(swap(0, letters[0] === 'q' ? 'z' : 'q'));
    const i = Math.floor(n / 2);
    out.push([...letters.slice(0, i), letters[i + 1], letters[i], ...letters.slice(i + 2)].join(''));
  }
  if (n >= 9) out.push(swap(2, 'x').slice(0, -1) + 'z', swap(0, 'q').slice(0, -1));
  return out;
}

function queriesOf(texts: string[]): string[] {
  const queries: string[] = [];
  for (const [p, text] of texts.entries()) {
    const words = [...text.matchAll(TOKEN)].map((m) => m[0]);
    for (let i = p % 7; i < words.length; i += 53) {
      if (words[i].length < 3) continue;
      queries.push(...variantsOf(words[i]));
      if (i + 1 < words.length) queries.push(`${words[i]} ${words[i + 1]}`, `"${words[i]} ${words[i + 1]}"`);
    }
  }
  const distinct = [...new Set(queries)];
  // An even sample of at most 600: enough variety, a few minutes on a busy machine.
  const step = Math.max(1, distinct.length / 600);
  return Array.from({ length: Math.min(600, distinct.length) }, (_, i) => distinct[Math.floor(i * step)]);
}

/** Indexes of the page's words (letter and digit runs) that the matches cover, with how they matched. */
function coveredWords(content: string, matches: readonly ClassifiedMatch[]): Map<number, string> {
  const covers = coverageOf(matches);
  const covered = new Map<number, string>();
  let index = 0;
  for (const m of content.matchAll(TOKEN)) {
    const end = m.index + m[0].length;
    if (covers(m.index, end)) covered.set(index, kindOf(m.index, end, matches));
    index++;
  }
  return covered;
}

async function inParallel<T, R>(items: T[], lanes: number, job: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await job(items[i]);
      }
    }),
  );
  return out;
}

describe('PageMatcher against Meilisearch on real OCR text', () => {
  let meili: TestMeilisearch;
  let adapter: MeilisearchAdapter;
  let texts: string[];

  beforeAll(async () => {
    meili = await useTestMeilisearch();
    adapter = new MeilisearchAdapter({
      url: meili.url,
      apiKey: meili.apiKey,
      indexName: `matcher_${randomUUID().slice(0, 8)}`,
    });
    await adapter.ensureSettings();
    texts = pagesOfFiles();
    const pages: PageIndexDocument[] = texts.map((content, i) => ({
      id: randomUUID(),
      tenant_id: TENANT,
      document_id: randomUUID(),
      page_number: i + 1,
      content,
      filename: `page-${i + 1}.xml`,
      mime_type: 'application/xml',
      created_at: 0,
      metadata: {},
    }));
    await adapter.upsertPages(pages);
  });

  afterAll(async () => {
    await adapter.deleteAll?.();
    await adapter.close();
    await meili.stop();
  });

  const OPTIONS: MatchOptions[] = [{}, { typos: 0 }, { typos: 1 }, { prefix: false }];

  it.each(OPTIONS)('finds the words the engine marks, with options %j', async (options) => {
    const queries = queriesOf(texts);
    expect(queries.length).toBeGreaterThan(150);
    let compared = 0;
    let splits = 0;
    let spills = 0;
    const differences: string[] = [];
    const answers = await inParallel(queries, 4, (q) =>
      adapter.search({ q, tenantId: TENANT, limit: 50, offset: 0, matching: options }),
    );
    for (const [n, q] of queries.entries()) {
      const parsed = parseQuery(q);
      const matcher = new PageMatcher(parsed, options);
      for (const hit of answers[n].hits) {
        const engine = coveredWords(hit.content, classifyMatches(hit.content, hit.matches, parsed, options));
        const local = coveredWords(hit.content, matcher.match(hit.content).matches);
        compared++;
        const words = [...hit.content.matchAll(TOKEN)].map((m) => normaliseTerm(m[0]));
        // The engine's split of a query word into two page words is left out on purpose (PageMatcher).
        const terms = new Set(parsed.terms.map((t) => t.text));
        const splitPart = (i: number) =>
          terms.has(words[i] + (words[i + 1] ?? '')) || terms.has((words[i - 1] ?? '') + words[i]);
        const engineOnly = [...engine.keys()].filter((i) => !local.has(i));
        // The engine marks a typo by the query word's length: on a shorter word before punctuation
        // (`jehns` on `Jehn's`) its span runs into the next word, which the classification of its
        // positions then judged instead (`s`, 4 typos). Such a word is the engine's too.
        const spans = [...hit.content.matchAll(TOKEN)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
        const spilled = (i: number) =>
          hit.matches.some((m) => m.start <= spans[i].start && m.start + m.length > spans[i].end);
        const hereOnly = [...local.keys()].filter((i) => !engine.has(i) && !spilled(i));
        spills += [...local.keys()].filter((i) => !engine.has(i) && spilled(i)).length;
        const otherKind = [...local.keys()].filter((i) => engine.has(i) && engine.get(i) !== local.get(i));
        splits += engineOnly.filter(splitPart).length;
        if (engineOnly.some((i) => !splitPart(i)) || hereOnly.length > 0 || otherKind.length > 0) {
          const show = (list: number[]) => list.map((i) => words[i]).join(',');
          const kinds = otherKind.map((i) => `${words[i]} ${engine.get(i)}→${local.get(i)}`).join(',');
          differences.push(
            `${JSON.stringify(q)}: engine only ${show(engineOnly)}, here only ${show(hereOnly)}, other kind ${kinds}`,
          );
        }
      }
    }
    console.log(
      `${options ? JSON.stringify(options) : ''} ${queries.length} queries, ${compared} hits compared, ` +
        `${differences.length} differ, ${splits} words the engine marks as split parts, ${spills} spilled typo spans\n${differences.slice(0, 40).join('\n')}`,
    );
    expect(compared).toBeGreaterThan(100);
    expect(differences).toEqual([]);
  });
});
