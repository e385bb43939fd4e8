/** The URLs of one document's IIIF resources; ids must be stable and dereferenceable. */
export class IiifUrls {
  constructor(
    readonly base: string,
    readonly documentId: string,
  ) {}

  private get root(): string {
    return `${this.base}/v1/documents/${this.documentId}`;
  }

  manifest(): string {
    return `${this.root}/iiif/manifest`;
  }

  canvas(page: number): string {
    return `${this.root}/iiif/canvas/${page}`;
  }

  annotationPage(page: number): string {
    return `${this.root}/iiif/canvas/${page}/page`;
  }

  painting(page: number): string {
    return `${this.root}/iiif/canvas/${page}/image`;
  }

  image(page: number, width?: number): string {
    return `${this.root}/pages/${page}/image${width ? `?width=${width}` : ''}`;
  }

  search(version: 1 | 2, query?: Record<string, string | number>): string {
    return withQuery(`${this.root}/iiif/search/${version}`, query);
  }

  autocomplete(version: 1 | 2, query?: Record<string, string | number>): string {
    return withQuery(`${this.root}/iiif/autocomplete/${version}`, query);
  }

  annotation(page: number, word: number): string {
    return `${this.root}/iiif/canvas/${page}/word/${word}`;
  }
}

function withQuery(url: string, query?: Record<string, string | number>): string {
  if (!query || Object.keys(query).length === 0) return url;
  return `${url}?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString()}`;
}
