import { billionLaughsAlto, deeplyNestedAlto, xxeAlto } from '@recto/testing';
import { InvalidOcrFileException } from '../invalid-ocr-file.exception';
import { parseOcrFile } from '../ocr-file.parser';
import { readHocrHtml } from '../hocr/hocr-html.reader';
import { readXml } from './hardened-xml.reader';

const refusal = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidOcrFileException);
    return (err as Error).message;
  }
  throw new Error('not refused');
};

describe('hostile XML', () => {
  it('refuses an external entity (XXE) without reading it', () => {
    expect(refusal(() => parseOcrFile(xxeAlto()))).toMatch(/declares entities/);
  });

  it('refuses the billion laughs without expanding anything', () => {
    expect(refusal(() => parseOcrFile(billionLaughsAlto()))).toMatch(/declares entities/);
  });

  it('refuses an undeclared entity as not well-formed (nothing is looked up)', () => {
    expect(refusal(() => readXml(Buffer.from('<alto><x>&nope;</x></alto>')))).toMatch(/not well-formed/);
  });

  it('refuses 50 MB of nesting at the depth limit, without recursing', () => {
    const file = deeplyNestedAlto();
    expect(file.length).toBeGreaterThan(50_000_000);
    expect(refusal(() => parseOcrFile(file))).toMatch(/nest deeper than 256/);
  });

  it('bounds hOCR nesting too', () => {
    const soup = Buffer.from(`<html><body><div class="ocr_page">${'<span>'.repeat(100_000)}</body></html>`);
    expect(refusal(() => readHocrHtml(soup))).toMatch(/nest deeper/);
  });

  it('names line and column of a truncated file', () => {
    expect(refusal(() => readXml(Buffer.from('<alto><Layout><Page>')))).toMatch(/not well-formed.*\d+:\d+/);
  });

  it('refuses a DOCTYPE entity hidden in an hOCR file', () => {
    const html = Buffer.from(
      '<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]><html><div class="ocr_page">&x;</div></html>',
    );
    expect(refusal(() => parseOcrFile(html))).toMatch(/declares entities/);
  });

  it('refuses what is none of the formats', () => {
    expect(refusal(() => parseOcrFile(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')))).toMatch(
      /not ALTO, hOCR or PAGE/,
    );
  });
});
