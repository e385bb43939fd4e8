/** The REST API as the viewer uses it. The key is sent as `Authorization`, when there is one. */

export type DocumentStatus = 'Processing' | 'Processed' | 'Failed';

export interface RectoDocument {
  id: string;
  filename: string;
  mime_type: string;
  size_bytes: number;
  status: DocumentStatus;
  page_count: number | null;
  /** Pages recognised so far while Processing. */
  pages_done?: number | null;
  quality?: 'ok' | 'low' | null;
  quality_reason?: string | null;
  created_at: string;
  error: { detail?: string; code?: string } | null;
}

export type Polygon = [number, number][];

/** What the engine did to a page before reading it, and how well it read. */
export interface PageQuality {
  rotated: number;
  deskewed_degrees: number;
  upscaled: number | null;
  mean_confidence: number | null;
  quality: 'ok' | 'low' | null;
  quality_reason: string | null;
}

export interface SearchHit {
  document_id: string;
  filename: string;
  page: number;
  page_width: number | null;
  page_height: number | null;
  snippet: string;
  highlights: { content: string; polygon: Polygon; match: MatchKind }[];
}

/** How a highlighted word matched the query (the API's `highlights[].match`). */
export type MatchKind = 'exact' | 'prefix' | 'typo' | 'phrase';

export interface UploadResult {
  document: RectoDocument;
  duplicate?: boolean;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class RectoApi {
  constructor(private readonly apiKey: string) {}

  private headers(): Record<string, string> {
    return this.apiKey ? { Authorization: this.apiKey } : {};
  }

  private async json<T>(path: string): Promise<T> {
    const res = await fetch(path, { headers: this.headers() });
    if (!res.ok) throw await errorOf(res);
    return (await res.json()) as T;
  }

  async documents(limit = 100, quality?: 'low'): Promise<RectoDocument[]> {
    const filter = quality ? `&quality=${quality}` : '';
    return (await this.json<{ documents: RectoDocument[] }>(`/v1/documents?limit=${limit}${filter}`)).documents;
  }

  async search(q: string, limit = 50): Promise<SearchHit[]> {
    return (await this.json<{ hits: SearchHit[] }>(`/v1/search?q=${encodeURIComponent(q)}&limit=${limit}`)).hits;
  }

  /** Every matching page of one document, in page order. */
  async searchIn(documentId: string, q: string): Promise<SearchHit[]> {
    const path = `/v1/documents/${documentId}/search?q=${encodeURIComponent(q)}`;
    return (await this.json<{ hits: SearchHit[] }>(path)).hits;
  }

  async pageQuality(documentId: string, page: number): Promise<PageQuality> {
    return (await this.json<{ page: PageQuality }>(`/v1/documents/${documentId}/pages/${page}`)).page;
  }

  async document(id: string): Promise<RectoDocument> {
    return (await this.json<{ document: RectoDocument }>(`/v1/documents/${id}`)).document;
  }

  /** The page image as an object URL: an <img> cannot send the Authorization header itself. */
  async pageImage(documentId: string, page: number, width: number): Promise<string> {
    const res = await fetch(`/v1/documents/${documentId}/pages/${page}/image?width=${width}`, {
      headers: this.headers(),
    });
    if (!res.ok) throw await errorOf(res);
    return URL.createObjectURL(await res.blob());
  }

  /** XHR rather than fetch: only XHR reports upload progress. */
  upload(file: File, onProgress: (share: number) => void): Promise<UploadResult> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', '/v1/documents');
      for (const [k, v] of Object.entries(this.headers())) xhr.setRequestHeader(k, v);
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress(e.loaded / e.total);
      };
      xhr.onload = () => {
        let body: unknown = null;
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          // not JSON
        }
        if (xhr.status === 200 || xhr.status === 202) resolve(body as UploadResult);
        else reject(new ApiError(xhr.status, detailOf(body) ?? `Upload failed (${xhr.status})`));
      };
      xhr.onerror = () => reject(new ApiError(0, 'The server could not be reached.'));
      const form = new FormData();
      form.append('file', file, file.name);
      xhr.send(form);
    });
  }
}

function detailOf(body: unknown): string | undefined {
  const b = body as { detail?: unknown; title?: unknown } | null;
  if (typeof b?.detail === 'string') return b.detail;
  return typeof b?.title === 'string' ? b.title : undefined;
}

async function errorOf(res: Response): Promise<ApiError> {
  const body: unknown = await res.json().catch(() => null);
  return new ApiError(res.status, detailOf(body) ?? `${res.status} ${res.statusText}`);
}
