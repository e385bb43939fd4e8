/**
 * The URLs of one document's IIIF resources. Ids of things (canvases, annotations) are stable;
 * the resources a viewer fetches (manifest, image service, search) live under the access root,
 * which is the keyed route or a signed one (see IiifLinkSigner).
 */
export class IiifUrls {
  private readonly idRoot: string;
  private readonly accessRoot: string;
  /** Canvas ids of a manifest imported from elsewhere: its own, so its viewers find our hits. */
  private readonly canvasIds?: ReadonlyMap<number, string>;

  constructor(
    readonly base: string,
    readonly documentId: string,
    options: { accessRoot?: string; canvasIds?: ReadonlyMap<number, string> } = {},
  ) {
    this.idRoot = `${base}/v1/documents/${documentId}/iiif`;
    this.accessRoot = options.accessRoot ?? this.idRoot;
    this.canvasIds = options.canvasIds;
  }

  manifest(): string {
    return `${this.accessRoot}/manifest`;
  }

  canvas(page: number): string {
    return this.canvasIds?.get(page) ?? `${this.idRoot}/canvas/${page}`;
  }

  annotationPage(page: number): string {
    return `${this.idRoot}/canvas/${page}/page`;
  }

  painting(page: number): string {
    return `${this.idRoot}/canvas/${page}/image`;
  }

  /** The IIIF Image API 3.0 service of a page (its info.json is `…/info.json`). */
  imageService(page: number): string {
    return `${this.accessRoot}/image/${page}`;
  }

  search(version: 1 | 2, query?: Record<string, string | number>): string {
    return withQuery(`${this.accessRoot}/search/${version}`, query);
  }

  autocomplete(version: 1 | 2, query?: Record<string, string | number>): string {
    return withQuery(`${this.accessRoot}/autocomplete/${version}`, query);
  }

  annotation(page: number, word: number): string {
    return `${this.idRoot}/canvas/${page}/word/${word}`;
  }
}

function withQuery(url: string, query?: Record<string, string | number>): string {
  if (!query || Object.keys(query).length === 0) return url;
  return `${url}?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString()}`;
}
