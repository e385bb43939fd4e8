import type { WritablePage } from '../writing/writable-page';

/**
 * The words as printed, a line per line in reading order, pages separated by a form feed (as
 * `pdftotext` and Tesseract separate them). Line-end hyphens stay: this is the page as it reads.
 */
export class PlainTextWriter {
  readonly contentType = 'text/plain; charset=utf-8';
  readonly extension = 'txt';
  private pagesWritten = 0;

  begin(): string {
    return '';
  }

  page(page: WritablePage): string {
    let out = this.pagesWritten++ > 0 ? '\f' : '';
    page.words.forEach((word, i) => {
      const previous = page.words[i - 1];
      if (previous) out += previous.line === word.line ? ' ' : '\n';
      out += word.content.replace(/\s+/g, ' ').trim();
    });
    return out + (page.words.length > 0 ? '\n' : '');
  }

  end(): string {
    return '';
  }
}
