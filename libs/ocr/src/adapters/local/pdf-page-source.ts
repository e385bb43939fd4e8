import { readFile } from 'node:fs/promises';
import { DomainException, ErrorCode } from '@recto/common';
import { downscaleGray } from './gray-image-turner';
import type { PageSource, PageSourceLimits, SourcePage } from './page-source';
import { withPdfPagePixels, type PdfDocument, type PdfPage } from './pdf-raster';
import { loadPdfjs, pdfjsAssetUrls, type Pdfjs } from './pdfjs-loader';
import { planResolution, DEFAULT_RESOLUTION_RULE, type ResolutionRule } from './resolution';
import { countTextCharacters, textLayerWords, type TextLayerItem } from './text-layer';

export interface PdfSourceOptions extends PageSourceLimits {
  renderDpi: number;
  /** A text layer with fewer letters and digits than this is ignored (page numbers, stamps). */
  minTextLayerChars?: number;
}

// Below this many characters, a text layer over a full-page scan is more likely a stamp, a header
// or a page number than the page's text, so the scan is OCRed instead.
const SCANNED_PAGE_TEXT_CHARS = 200;
// An image covering this share of the page makes it a scanned page.
const SCAN_COVERAGE = 0.5;

/**
 * PDFs through pdfjs: pages with a real text layer (born-digital, or already OCRed) give their
 * words directly; others are rendered with pdfjs's Node canvas (@napi-rs/canvas) for OCR.
 */
export async function openPdfSource(
  filePath: string,
  options: PdfSourceOptions,
  rule: ResolutionRule = DEFAULT_RESOLUTION_RULE,
): Promise<PageSource> {
  const pdfjs = await loadPdfjs();
  const data = new Uint8Array(await readFile(filePath));
  if (data.length === 0) throw new DomainException(ErrorCode.UnreadableFile, 'The file is empty.');
  const task = pdfjs.getDocument({
    data,
    ...pdfjsAssetUrls(),
    cMapPacked: true,
    isEvalSupported: false,
    useSystemFonts: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  let doc: PdfDocument;
  try {
    doc = await task.promise;
  } catch (error) {
    await task.destroy().catch(() => undefined);
    throw pdfError(error);
  }
  if (doc.numPages > options.maxPages) {
    await doc.destroy();
    throw new DomainException(
      ErrorCode.TooManyPages,
      `The PDF has ${doc.numPages} pages; at most ${options.maxPages} are accepted.`,
    );
  }
  const minChars = options.minTextLayerChars ?? 20;

  return {
    pageCount: doc.numPages,
    async page(index: number): Promise<SourcePage> {
      let page: PdfPage;
      try {
        page = await doc.getPage(index + 1);
      } catch (error) {
        throw pdfError(error);
      }
      try {
        const viewport = page.getViewport({ scale: 1 });
        const content = await page.getTextContent();
        const items: TextLayerItem[] = [];
        for (const item of content.items) {
          if ('str' in item) items.push(item as TextLayerItem);
        }
        const chars = countTextCharacters(items);
        const scan = chars < SCANNED_PAGE_TEXT_CHARS ? await findScan(pdfjs, page, viewport) : null;
        if (chars >= minChars && !scan) {
          const words = textLayerWords({
            items,
            styles: content.styles,
            viewportTransform: viewport.transform,
            width: viewport.width,
            height: viewport.height,
          });
          page.cleanup();
          return {
            kind: 'text',
            width: viewport.width,
            height: viewport.height,
            words,
          };
        }
        const pixelCap = Math.min(options.maxPixels, rule.maxOcrPixels);
        const areaSqIn = (viewport.width / 72) * (viewport.height / 72);
        const maxDpi = Math.sqrt(pixelCap / areaSqIn);
        const lowResScan = scan !== null && scan.dpi < rule.lowResDpi;
        // A low-resolution scan is rendered at its own resolution and then upscaled like an image
        // file (lanczos), which read better than letting pdfjs interpolate straight to 300 dpi.
        const renderDpi = Math.min(lowResScan ? scan.dpi : options.renderDpi, maxDpi);
        const renderWidth = Math.max(1, Math.round((viewport.width * renderDpi) / 72));
        const renderHeight = Math.max(1, Math.round((viewport.height * renderDpi) / 72));
        const planned = planResolution({ width: renderWidth, height: renderHeight, sourceDpi: renderDpi }, rule);
        // Only scans get upscaled: vector pages are already rendered as sharp as they get.
        const plan = lowResScan ? planned : { ...planned, scale: 1, effectiveDpi: Math.round(renderDpi) };
        const width = Math.round(renderWidth * plan.scale);
        const height = Math.round(renderHeight * plan.scale);
        const render = () => renderGray(doc, page, renderDpi / 72, renderWidth, renderHeight, width, height);
        return {
          kind: 'raster',
          width,
          height,
          plan,
          render,
          // pdfjs renders at the scan's own resolution and sharp scales it up in one go: the copy
          // is shrunk from the result, as before.
          async renderWithPreview(longSide: number) {
            const image = await render();
            return { image, preview: await downscaleGray(image, longSide) };
          },
        };
      } catch (error) {
        page.cleanup();
        throw pdfError(error);
      }
    },
    close: () => doc.destroy(),
  };
}

async function renderGray(
  doc: PdfDocument,
  page: PdfPage,
  scale: number,
  width: number,
  height: number,
  ocrWidth: number,
  ocrHeight: number,
) {
  try {
    const { data, info } = await withPdfPagePixels(doc, page, page.getViewport({ scale }), width, height, (pixels) =>
      pixels
        .grayscale()
        .resize(
          ocrWidth === width && ocrHeight === height
            ? null
            : { width: ocrWidth, height: ocrHeight, kernel: 'lanczos3', fit: 'fill' },
        )
        .raw({ depth: 'uchar' })
        .toBuffer({ resolveWithObject: true }),
    );
    return { data, width: info.width, height: info.height };
  } catch (error) {
    throw pdfError(error);
  } finally {
    page.cleanup();
  }
}

interface ScanInfo {
  /** Pixels per inch of the largest image as drawn on the page. */
  dpi: number;
}

/** The full-page image of a scanned page, if there is one, with its resolution. */
async function findScan(
  pdfjs: Pdfjs,
  page: PdfPage,
  viewport: { width: number; height: number },
): Promise<ScanInfo | null> {
  const { OPS } = pdfjs;
  const ops = await page.getOperatorList();
  const stack: number[][] = [];
  let ctm = [1, 0, 0, 1, 0, 0];
  let best: { area: number; dpi: number } | null = null;
  for (let i = 0; i < ops.fnArray.length; i++) {
    const fn = ops.fnArray[i];
    const args = ops.argsArray[i] as unknown[];
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.transform) ctm = multiply(ctm, args as number[]);
    else if (fn === OPS.paintImageXObject || fn === OPS.paintInlineImageXObject || fn === OPS.paintImageMaskXObject) {
      const size = imageSize(fn === OPS.paintImageXObject ? args.slice(1) : args[0]);
      if (!size) continue;
      // Images are drawn into the unit square, so the CTM's axes are the drawn size in points.
      const drawnWidth = Math.hypot(ctm[0], ctm[1]);
      const drawnHeight = Math.hypot(ctm[2], ctm[3]);
      const area = drawnWidth * drawnHeight;
      if (!best || area > best.area) {
        best = {
          area,
          dpi: Math.min(size.width / (drawnWidth / 72), size.height / (drawnHeight / 72)),
        };
      }
    }
  }
  if (!best || best.area < SCAN_COVERAGE * viewport.width * viewport.height) return null;
  return Number.isFinite(best.dpi) && best.dpi > 0 ? { dpi: best.dpi } : null;
}

function imageSize(arg: unknown): { width: number; height: number } | null {
  if (Array.isArray(arg) && typeof arg[0] === 'number' && typeof arg[1] === 'number') {
    return { width: arg[0], height: arg[1] };
  }
  const image = arg as { width?: number; height?: number } | null;
  return image?.width && image?.height ? { width: image.width, height: image.height } : null;
}

function multiply(m: number[], t: number[]): number[] {
  return [
    t[0] * m[0] + t[1] * m[2],
    t[0] * m[1] + t[1] * m[3],
    t[2] * m[0] + t[3] * m[2],
    t[2] * m[1] + t[3] * m[3],
    t[4] * m[0] + t[5] * m[2] + m[4],
    t[4] * m[1] + t[5] * m[3] + m[5],
  ];
}

/** pdfjs's errors as the domain's. */
export function pdfError(error: unknown): DomainException {
  if (error instanceof DomainException) return error;
  const name = (error as { name?: string } | null)?.name ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'PasswordException') {
    return new DomainException(
      ErrorCode.EncryptedPdf,
      'The PDF is password-protected; upload it without the password.',
    );
  }
  if (name === 'InvalidPDFException') {
    return new DomainException(ErrorCode.UnreadableFile, 'The file is not a valid PDF.');
  }
  return new DomainException(
    ErrorCode.UnreadableFile,
    `The PDF could not be read; it may be corrupt or truncated (${message}).`,
  );
}
