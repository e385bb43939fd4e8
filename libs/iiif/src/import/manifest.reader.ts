import type { AnnotationPageRef } from '@recto/database';
import { IiifNotAManifestException } from './iiif-import.exceptions';

export type LinkedOcrFormat = 'alto' | 'hocr' | 'page';

/** One canvas of an imported manifest: what to fetch for it, and what to keep of it. */
export interface SourceCanvas {
  /** The canvas's id in the source manifest (search annotations target it). */
  id: string;
  label: string | null;
  /** The canvas's coordinate space (not necessarily the image's pixels). */
  width: number;
  height: number;
  /** The painted image at its largest: through its Image API service when it has one, else the body itself. */
  imageUrl: string;
  /** OCR linked from the canvas (`seeAlso` / `rendering` with an ALTO, hOCR or PAGE format or profile). */
  ocr: { url: string; format: LinkedOcrFormat } | null;
  /** Its non-painting annotations (v3 `annotations`, v2 `otherContent`), where transcriptions may be. */
  annotations: AnnotationPageRef[];
}

export interface SourceManifest {
  version: 2 | 3;
  id: string;
  label: string | null;
  canvases: SourceCanvas[];
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);
const idOf = (v: unknown): string | null => (isObject(v) ? (str(v.id) ?? str(v['@id'])) : str(v));
const typeOf = (v: Json): string => String(v.type ?? v['@type'] ?? '');
const contexts = (v: Json): string[] => asArray(v['@context']).filter((c): c is string => typeof c === 'string');

/** A v3 language map or a v2 string / value list, as one plain string. */
function labelOf(v: unknown): string | null {
  if (typeof v === 'string') return str(v);
  if (Array.isArray(v)) return v.map(labelOf).find((l) => l !== null) ?? null;
  if (isObject(v)) {
    if ('@value' in v) return str(v['@value']);
    for (const values of Object.values(v)) {
      const found = labelOf(values);
      if (found) return found;
    }
  }
  return null;
}

function positiveInt(v: unknown): number | null {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : null;
}

/** The image request for the whole image at its largest, by the service's Image API version. */
function serviceImage(service: unknown): string | null {
  for (const s of asArray(service)) {
    if (!isObject(s)) continue;
    const id = idOf(s);
    if (!id) continue;
    const type = typeOf(s);
    const profile = asArray(s.profile).map(String).join(' ');
    const context = contexts(s).join(' ');
    const v3 = type === 'ImageService3' || context.includes('/image/3/');
    const v2 = type === 'ImageService2' || context.includes('/image/2/') || profile.includes('/image/2/');
    if (!v3 && !v2 && !/level[012]/.test(profile)) continue;
    // `max` is required of every 3.0 server; 2.x servers all know `full` (2.1 deprecates it, keeps it).
    return `${id.replace(/\/+$/, '')}/full/${v3 ? 'max' : 'full'}/0/default.jpg`;
  }
  return null;
}

/** A painting body (or a v2 image resource), choices resolved to their default/first item. */
function imageUrlOf(body: unknown): string | null {
  let b = body;
  if (Array.isArray(b)) b = b[0];
  if (!isObject(b)) return str(b);
  const type = typeOf(b);
  if (type === 'Choice' || type === 'oa:Choice') return imageUrlOf(b.default ?? asArray(b.items ?? b.item)[0]);
  return serviceImage(b.service) ?? idOf(b);
}

function ocrFormatOf(link: Json): LinkedOcrFormat | null {
  const said = `${String(link.format ?? '')} ${asArray(link.profile).map(String).join(' ')}`.toLowerCase();
  if (said.includes('alto')) return 'alto';
  if (said.includes('hocr')) return 'hocr';
  if (said.includes('primaresearch.org/page')) return 'page';
  return null;
}

function linkedOcr(canvas: Json): SourceCanvas['ocr'] {
  for (const link of [...asArray(canvas.seeAlso), ...asArray(canvas.rendering)]) {
    if (!isObject(link)) continue;
    const url = idOf(link);
    const format = ocrFormatOf(link);
    if (url && format) return { url, format };
  }
  return null;
}

/** An entry with its annotations is inline; one with only an id (and a type, a label…) is to be fetched. */
function annotationPages(canvas: Json): AnnotationPageRef[] {
  const refs: AnnotationPageRef[] = [];
  for (const page of [...asArray(canvas.annotations), ...asArray(canvas.otherContent)]) {
    if (isObject(page) && (Array.isArray(page.items) || Array.isArray(page.resources))) refs.push({ inline: page });
    else {
      const url = idOf(page);
      if (url) refs.push({ url });
    }
  }
  return refs;
}

function canvasOf(canvas: unknown, index: number, image: (c: Json) => unknown): SourceCanvas {
  const where = `canvas ${index + 1}`;
  if (!isObject(canvas)) throw new IiifNotAManifestException(`${where} is not an object.`);
  const id = idOf(canvas);
  if (!id) throw new IiifNotAManifestException(`${where} has no id.`);
  const width = positiveInt(canvas.width);
  const height = positiveInt(canvas.height);
  if (!width || !height) throw new IiifNotAManifestException(`${where} (${id}) has no width and height.`);
  const imageUrl = imageUrlOf(image(canvas));
  if (!imageUrl) throw new IiifNotAManifestException(`${where} (${id}) paints no image.`);
  return {
    id,
    label: labelOf(canvas.label),
    width,
    height,
    imageUrl,
    ocr: linkedOcr(canvas),
    annotations: annotationPages(canvas),
  };
}

/** Presentation 3: items → AnnotationPage → painting Annotation → body. */
function paintingBodyV3(canvas: Json): unknown {
  for (const page of asArray(canvas.items)) {
    if (!isObject(page)) continue;
    for (const annotation of asArray(page.items)) {
      if (isObject(annotation) && asArray(annotation.motivation).includes('painting')) return annotation.body;
    }
  }
  return null;
}

/** Presentation 2: images → oa:Annotation (sc:painting) → resource. */
function paintingBodyV2(canvas: Json): unknown {
  const annotation = asArray(canvas.images).find(isObject);
  return annotation?.resource ?? null;
}

/** The canvases of a Presentation 2.x or 3 manifest, in order, with what an import needs of each. */
export function readManifest(json: unknown): SourceManifest {
  if (!isObject(json)) throw new IiifNotAManifestException('the document is not a JSON object.');
  const type = typeOf(json);
  const context = contexts(json).join(' ');
  if (type === 'Manifest' || context.includes('/presentation/3/')) {
    if (type !== 'Manifest') throw new IiifNotAManifestException(`its type is ${type || 'missing'}, not Manifest.`);
    const items = asArray(json.items).filter((i) => !isObject(i) || typeOf(i) === 'Canvas');
    if (items.length === 0) throw new IiifNotAManifestException('it has no canvases.');
    return {
      version: 3,
      id: idOf(json) ?? '',
      label: labelOf(json.label),
      canvases: items.map((c, i) => canvasOf(c, i, paintingBodyV3)),
    };
  }
  if (type === 'sc:Manifest' || context.includes('/presentation/2/')) {
    if (type !== 'sc:Manifest') {
      throw new IiifNotAManifestException(`its @type is ${type || 'missing'}, not sc:Manifest.`);
    }
    const sequence = asArray(json.sequences).find(isObject);
    const canvases = asArray(sequence?.canvases);
    if (canvases.length === 0) throw new IiifNotAManifestException('it has no canvases.');
    return {
      version: 2,
      id: idOf(json) ?? '',
      label: labelOf(json.label),
      canvases: canvases.map((c, i) => canvasOf(c, i, paintingBodyV2)),
    };
  }
  throw new IiifNotAManifestException('it has neither a Presentation 2 nor 3 @context, nor a Manifest type.');
}
