/**
 * The REST API as the viewer uses it, through the generated client (@recto/api-client, bundled by
 * Vite from libs/api-client/src): same origin, the key sent as `Authorization` when there is one.
 */
import { ApiRequestError, createRectoClient, type RectoClient, type Schemas, unwrap } from '@recto/api-client';

export { ApiRequestError };

export type RectoDocument = Schemas['DocumentDto'];
export type SearchHit = Schemas['SearchHitDto'];
export type Polygon = Schemas['HighlightDto']['polygon'];
/** How a highlighted word matched the query (the API's `highlights[].match`). */
export type MatchKind = Schemas['HighlightDto']['match'];
export type UploadResult = Schemas['DocumentResponseDto'];

/** What the engine did to a page before reading it, and how well it read. */
export interface PageQuality {
  rotated: number;
  deskewed_degrees: number;
  upscaled: number | null;
  mean_confidence: number | null;
  quality: 'ok' | 'low' | null;
  quality_reason: string | null;
}

export class RectoApi {
  private readonly client: RectoClient;

  constructor(private readonly apiKey: string) {
    this.client = createRectoClient({ baseUrl: '', apiKey: apiKey || undefined });
  }

  async documents(limit = 100, quality?: 'low'): Promise<RectoDocument[]> {
    return (await unwrap(this.client.GET('/v1/documents', { params: { query: { limit, quality } } }))).documents;
  }

  async search(q: string, limit = 50): Promise<SearchHit[]> {
    return (await unwrap(this.client.GET('/v1/search', { params: { query: { q, limit } } }))).hits;
  }

  /** Every matching page of one document, in page order. */
  async searchIn(documentId: string, q: string): Promise<SearchHit[]> {
    const params = { path: { id: documentId }, query: { q } };
    return (await unwrap(this.client.GET('/v1/documents/{id}/search', { params }))).hits;
  }

  async pageQuality(documentId: string, page: number): Promise<PageQuality> {
    const params = { path: { id: documentId, number: page } };
    const p = (await unwrap(this.client.GET('/v1/documents/{id}/pages/{number}', { params }))).page;
    return {
      rotated: p.rotated,
      deskewed_degrees: p.deskewed_degrees,
      upscaled: p.upscaled ?? null,
      mean_confidence: p.mean_confidence ?? null,
      quality: p.quality ?? null,
      quality_reason: p.quality_reason ?? null,
    };
  }

  async document(id: string): Promise<RectoDocument> {
    return (await unwrap(this.client.GET('/v1/documents/{id}', { params: { path: { id } } }))).document;
  }

  /** The page image as an object URL: an <img> cannot send the Authorization header itself. */
  async pageImage(documentId: string, page: number, width: number): Promise<string> {
    const params = { path: { id: documentId, number: page }, query: { width } };
    const image = this.client.GET('/v1/documents/{id}/pages/{number}/image', { params, parseAs: 'blob' });
    return URL.createObjectURL((await unwrap(image)) as Blob);
  }

  /**
   * `POST /v1/documents` by XHR, not through the client's `uploadDocument`: only XHR reports upload
   * progress. The answer is still typed by the API's schema, and a refusal is the same error.
   */
  upload(file: File, onProgress: (share: number) => void): Promise<UploadResult> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', '/v1/documents');
      if (this.apiKey) xhr.setRequestHeader('Authorization', this.apiKey);
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
        else reject(ApiRequestError.fromAnswer(xhr.status, xhr.statusText, body));
      };
      xhr.onerror = () => reject(new ApiRequestError(0, 'The server could not be reached.'));
      const form = new FormData();
      form.append('file', file, file.name);
      xhr.send(form);
    });
  }
}
