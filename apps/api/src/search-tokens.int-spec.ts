/**
 * Words printed with inner punctuation or glued symbols (`$1,275,`, `U.S.A.`, `co-operate`, `«>l`)
 * searched as printed, on real Postgres and Meilisearch (words stored the way the worker stores
 * them; OCR is not the subject). Each must find its page and highlight that word, and only words
 * that match the query.
 */
import { INestApplication } from '@nestjs/common';
import { ApiTestApp, startApiTestApp, storeWords, uniquePng } from '@recto/testing';
import request from 'supertest';
import { createApiApp } from './bootstrap-api';

const KEY = 'tokens-key-0123456789';

let api: ApiTestApp;
let app: INestApplication;
let http: ReturnType<typeof request>;
let inDoc: string;

type Hit = { page: number; snippet: string; highlights: { content: string; match: string; polygon: number[][] }[] };

async function marked(q: string, params = ''): Promise<string[]> {
  const res = await http.get(`${inDoc}?q=${encodeURIComponent(q)}${params}`).set('Authorization', KEY);
  expect(res.status).toBe(200);
  return (res.body.hits as Hit[]).flatMap((h) => h.highlights.map((w) => `${h.page}:${w.content}:${w.match}`));
}

beforeAll(async () => {
  api = await startApiTestApp('tokens', { API_KEYS: `${KEY}:acme` }, createApiApp);
  app = api.app;
  http = request(app.getHttpServer());
  const id = (await http.post('/v1/documents').set('Authorization', KEY).attach('file', uniquePng(), 't.png')).body
    .document.id as string;
  await storeWords(app, id, [
    [
      ['Circa', '1950,', '$1,275,', 'AaronFaber.com;', 'then', '$7,950,'],
      ['only', '1', 'and', '275', 'apart'],
    ],
    [['1.275', 'metres,', '12.5', 'per', 'cent,', '1/4', 'inch,', '£3', 'paid']],
    [['U.S.A.', '19th-century', 'co-operate', "O'Brien", 'on', '12/03/1887']],
    [['«>l', 'den', 'large', 'London', '>or', 'for', 'Ordre', '|l']],
    [['我住在北京市', 'today']],
  ]);
  inDoc = `/v1/documents/${id}/search`;
});

afterAll(async () => {
  await api?.stop();
});

describe('words with inner punctuation, searched as printed', () => {
  it('a number with a thousands separator marks that number only, also after a currency sign', async () => {
    // 1.275 is the same digits with the other separator: separators between digits are not compared.
    expect(await marked('1,275')).toEqual(['1:$1,275,:exact', '2:1.275:exact']);
    expect(await marked('$1,275')).toEqual(['1:$1,275,:exact', '2:1.275:exact']);
    expect(await marked('7,950')).toEqual(['1:$7,950,:exact']);
    expect(await marked('7,950', '&typos=0')).toEqual(['1:$7,950,:exact']);
  });

  it('decimals, fractions, money, abbreviations, compounds, names and dates mark their word', async () => {
    expect(await marked('12.5')).toEqual(['2:12.5:exact']);
    expect(await marked('1/4')).toEqual(['2:1/4:exact']);
    expect(await marked('£3')).toEqual(['2:£3:exact']);
    expect(await marked('U.S.A.')).toEqual(['3:U.S.A.:exact']);
    expect(await marked('19th-century')).toEqual(['3:19th-century:exact']);
    expect(await marked('co-operate')).toEqual(['3:co-operate:exact']);
    expect(await marked("O'Brien")).toEqual(["3:O'Brien:exact"]);
    expect(await marked('12/03/1887')).toEqual(['3:12/03/1887:exact']);
    expect(await marked('co-operate 12/03/1887', '&merge=line')).toEqual(['3:co-operate:exact', '3:12/03/1887:exact']);
  });

  it('a part is a word of its own: 275 marks the numbers holding it, operate marks co-operate', async () => {
    expect(await marked('275')).toEqual(['1:$1,275,:exact', '1:275:exact', '2:1.275:exact']);
    expect(await marked('operate')).toEqual(['3:co-operate:exact']);
    expect(await marked('Brien')).toEqual(["3:O'Brien:exact"]);
    // The engine has no abbreviation dictionary: the letters joined are not the abbreviation.
    expect(await marked('usa')).toEqual([]);
  });
});

describe('short words', () => {
  it('l and or mark the words printed with a symbol glued on, and otherwise only their prefixes', async () => {
    expect(await marked('l')).toEqual(['4:«>l:exact', '4:large:prefix', '4:London:prefix', '4:|l:exact']);
    expect(await marked('or')).toEqual(['4:>or:exact', '4:Ordre:prefix']);
    expect(await marked('or', '&typos=0')).toEqual(['4:>or:exact']);
    expect(await marked('l', '&prefix=false')).toEqual(['4:«>l:exact', '4:|l:exact']);
  });
});

describe('words the engine segments on its own', () => {
  it("a Chinese word inside a run of characters is marked from the engine's positions", async () => {
    // One run of letters here; Meilisearch's segmenter finds 北京 in it, so the page is read with
    // the engine's own match positions (SearchService's fallback) and the run is highlighted (as a
    // `typo`: the whole run is not the query word).
    expect(await marked('北京')).toEqual(['5:我住在北京市:typo']);
    expect(await marked('today')).toEqual(['5:today:exact']);
  });
});
