import { Injectable } from '@nestjs/common';
import { DomainException, ErrorCode } from '@recto/common';
import { DocumentEntity, DocumentStatus, PageEntity, PageRepository, WordEntity } from '@recto/database';
import { estimateDpi } from '@recto/ocr';
import {
  AltoWriter,
  ExportMetadata,
  HocrWriter,
  PageXmlWriter,
  PlainTextWriter,
  SearchablePdfWriter,
  WritablePage,
} from '@recto/ocr-formats';
import { Zip, ZipDeflate } from 'fflate';
import sharp from 'sharp';
import { DocumentService } from './document.service';
import { DocumentNotProcessedException, ExportUnavailableException } from './document.exceptions';
import { PAGE_IMAGE_WIDTHS, PageImageService } from './page-image.service';
import { hasPageImages } from './mime-sniffer';

export const EXPORT_FORMATS = ['hocr', 'alto', 'page', 'pdf', 'txt'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface DocumentExport {
  contentType: string;
  /** Suggested file name: the document's name with the format's extension. */
  filename: string;
  /** The file, page by page for the text formats so that a long document streams. */
  body: AsyncIterable<string | Uint8Array>;
}

/** Words and images of a text-layer page are in PDF points; exports give them pixels at this resolution. */
const TEXT_LAYER_DPI = 300;
/** A page whose size is unknown is taken as US letter at 300 dpi (its polygons are relative anyway). */
const UNKNOWN_PAGE_SIZE = { width: 2550, height: 3300 };
/** Image width a searchable PDF page is rendered at, at most: 300 dpi for a letter-sized page, a few hundred KB as JPEG. */
const PDF_IMAGE_MAX_WIDTH = 2400;
const PDF_IMAGE_QUALITY = 80;

interface TextWriter {
  contentType: string;
  extension: string;
  begin(): string;
  page(page: WritablePage): string;
  end(): string;
}

/**
 * The pixel size an export draws a page at: the stored size for image and OCRed pages (the
 * image's pixels) and imported pages (the OCR file's), 300 dpi for text-layer pages (stored in
 * PDF points).
 */
export function exportPixelSize(page: Pick<PageEntity, 'width' | 'height' | 'source'>): {
  width: number;
  height: number;
} {
  if (!page.width || !page.height) return UNKNOWN_PAGE_SIZE;
  if (page.source !== 'text-layer') return { width: page.width, height: page.height };
  const scale = TEXT_LAYER_DPI / 72;
  return { width: Math.round(page.width * scale), height: Math.round(page.height * scale) };
}

/** A searchable PDF page's size in points: a text-layer page's own, else its pixels at the resolution OCR assumed. */
export function exportPointSize(page: Pick<PageEntity, 'width' | 'height' | 'source'>): {
  width: number;
  height: number;
} {
  if (page.source === 'text-layer' && page.width && page.height) return { width: page.width, height: page.height };
  const pixels = exportPixelSize(page);
  const dpi = estimateDpi(pixels);
  return { width: (pixels.width * 72) / dpi, height: (pixels.height * 72) / dpi };
}

/** The stored words as writers take them; a word the page text joined with the next line's first is hyphenated. */
export function writableWords(words: WordEntity[]): WritablePage['words'] {
  return words.map((w, i) => {
    const next = words[i + 1];
    const hyphenated = next !== undefined && next.line !== w.line && w.charEnd === next.charStart;
    return { content: w.content, polygon: w.polygon, confidence: w.confidence, line: w.line, hyphenated };
  });
}

function baseName(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return (dot > 0 ? filename.slice(0, dot) : filename) || 'document';
}

/**
 * A document's words in the standard OCR formats — hOCR, ALTO, PAGE XML, plain text — and as a
 * searchable PDF, whatever produced them (local OCR, Mindee, a PDF's text layer, imported files).
 */
@Injectable()
export class DocumentExportService {
  constructor(
    private readonly documents: DocumentService,
    private readonly pages: PageRepository,
    private readonly pageImages: PageImageService,
  ) {}

  /** Everything is checked before the first byte is produced: a streamed answer cannot turn into an error any more. */
  async export(
    tenantId: string,
    id: string,
    format: ExportFormat | undefined,
    pageNumber?: number,
  ): Promise<DocumentExport> {
    const document = await this.documents.get(tenantId, id);
    if (!format) {
      throw new DomainException(ErrorCode.ValidationFailed, `The request is not valid: /format is required.`, [
        { pointer: '/format', detail: `one of ${EXPORT_FORMATS.join(', ')}` },
      ]);
    }
    if (document.status !== DocumentStatus.Processed) throw new DocumentNotProcessedException(document.status);
    const all = await this.pages.findPages(id);
    const pages = pageNumber === undefined ? all : all.filter((p) => p.number === pageNumber);
    if (pages.length === 0) {
      throw new DomainException(
        ErrorCode.ValidationFailed,
        `The document has no page ${pageNumber} (it has ${all.length}).`,
        [{ pointer: '/page', detail: `between 1 and ${all.length}` }],
      );
    }
    const meta: ExportMetadata = {
      documentName: document.filename,
      imageName: document.filename,
      ocrProvider: document.ocrProvider,
      created: new Date(),
    };
    const name = baseName(document.filename) + (pageNumber === undefined ? '' : `-p${pageNumber}`);
    switch (format) {
      case 'hocr':
        return this.text(new HocrWriter(meta, pages.length), pages, name);
      case 'alto':
        return this.text(new AltoWriter(meta), pages, name);
      case 'txt':
        return this.text(new PlainTextWriter(), pages, name);
      case 'page':
        return this.pageXml(new PageXmlWriter(meta), pages, name);
      case 'pdf':
        return this.pdf(tenantId, document, meta, pages, name);
    }
  }

  private async writable(page: PageEntity): Promise<WritablePage> {
    const words = await this.pages.findWords(page.id);
    return { number: page.number, ...exportPixelSize(page), words: writableWords(words) };
  }

  private text(writer: TextWriter, pages: PageEntity[], name: string): DocumentExport {
    const body = async function* (this: DocumentExportService) {
      yield writer.begin();
      for (const page of pages) yield writer.page(await this.writable(page));
      yield writer.end();
    }.call(this);
    return { contentType: writer.contentType, filename: `${name}.${writer.extension}`, body };
  }

  /** PAGE XML holds one page per file: one page is that file, several are a ZIP of them. */
  private pageXml(writer: PageXmlWriter, pages: PageEntity[], name: string): DocumentExport {
    if (pages.length === 1) {
      const body = async function* (this: DocumentExportService) {
        yield writer.write(await this.writable(pages[0]));
      }.call(this);
      return { contentType: writer.contentType, filename: `${name}.${writer.extension}`, body };
    }
    const body = async function* (this: DocumentExportService) {
      const chunks: Uint8Array[] = [];
      const zip = new Zip((err, chunk) => {
        if (err) throw err;
        chunks.push(chunk);
      });
      for (const page of pages) {
        const entry = new ZipDeflate(`${name}-p${page.number}.${writer.extension}`, { level: 6 });
        zip.add(entry);
        // Deflating in fflate's synchronous mode: the entry's bytes are in `chunks` once push returns.
        entry.push(Buffer.from(writer.write(await this.writable(page))), true);
        yield* chunks.splice(0);
      }
      zip.end();
      yield* chunks.splice(0);
    }.call(this);
    return { contentType: 'application/zip', filename: `${name}.page.zip`, body };
  }

  private async pdf(
    tenantId: string,
    document: DocumentEntity,
    meta: ExportMetadata,
    pages: PageEntity[],
    name: string,
  ): Promise<DocumentExport> {
    if (!hasPageImages(document.mimeType)) {
      throw new ExportUnavailableException(
        'The document has no page images (it was imported from OCR files alone), so there is nothing to lay a searchable text layer over; export hocr, alto, page or txt instead.',
      );
    }
    const writer = await SearchablePdfWriter.create(meta);
    for (const page of pages) {
      const pixels = exportPixelSize(page);
      // The largest rendered width the page has pixels for: rendering is cached per width.
      const wanted = Math.min(pixels.width, PDF_IMAGE_MAX_WIDTH);
      const width = [...PAGE_IMAGE_WIDTHS].reverse().find((w) => w <= wanted) ?? PAGE_IMAGE_WIDTHS[0];
      const rendered = await this.pageImages.image(tenantId, document.id, page.number, { width, format: 'png' });
      const jpeg = await sharp(rendered.data).jpeg({ quality: PDF_IMAGE_QUALITY, mozjpeg: true }).toBuffer();
      const words = await this.pages.findWords(page.id);
      const size = exportPointSize(page);
      await writer.addPage({
        widthPt: size.width,
        heightPt: size.height,
        image: { data: jpeg, type: 'jpeg' },
        words: writableWords(words),
      });
    }
    const bytes = await writer.save();
    const body = (async function* () {
      yield bytes;
    })();
    return { contentType: 'application/pdf', filename: `${name}.pdf`, body };
  }
}
