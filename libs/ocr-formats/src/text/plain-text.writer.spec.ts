import { samplePage } from '../writing/sample-pages.fixture';
import { PlainTextWriter } from './plain-text.writer';

it('writes lines as printed and separates pages with a form feed', () => {
  const writer = new PlainTextWriter();
  const text = writer.begin() + writer.page(samplePage(1)) + writer.page(samplePage(2)) + writer.end();
  const page = 'Die Geſellſchaft\nA&B ent-\nstehen größer\nschräg\n';
  expect(text).toBe(`${page}\f${page}`);
});

it('writes nothing for a page without words but keeps its separator', () => {
  const writer = new PlainTextWriter();
  const empty = { number: 1, width: 1, height: 1, words: [] };
  expect(writer.page(empty) + writer.page(samplePage(2))).toMatch(/^\fDie /);
});
