/** Stable, public error codes. The HTTP status of each lives in the problem-details filter. */
export enum ErrorCode {
  ValidationFailed = 'validation_failed',
  NotFound = 'not_found',
  DocumentNotFound = 'document_not_found',
  PageNotFound = 'page_not_found',
  WebhookNotFound = 'webhook_not_found',
  WebhookDeliveryNotFound = 'webhook_delivery_not_found',
  PayloadTooLarge = 'payload_too_large',
  UnsupportedMediaType = 'unsupported_media_type',
  EmptyFile = 'empty_file',
  Unauthorized = 'unauthorized',
  TooManyRequests = 'too_many_requests',
  Conflict = 'conflict',
  /** Export: the document has not finished processing (or failed), so it has no words to export yet. */
  DocumentNotProcessed = 'document_not_processed',
  /** Export: the format needs something this document does not have (a searchable PDF of an OCR-only document). */
  ExportUnavailable = 'export_unavailable',
  /** An Idempotency-Key already used with a different request. */
  IdempotencyKeyReused = 'idempotency_key_reused',
  /** `reprocess` asked for an OCR provider no worker of this deployment runs. */
  ProviderNotAvailable = 'provider_not_available',
  /** IIIF Image API: a region, size, rotation, quality or format the syntax or the image does not allow. */
  InvalidImageRequest = 'invalid_image_request',
  /** A signed IIIF link whose expiry has passed (its signature was valid). */
  IiifLinkExpired = 'iiif_link_expired',
  /** Signed IIIF links were asked for but no IIIF_SIGNING_KEYS are configured. */
  IiifLinksDisabled = 'iiif_links_disabled',
  /** Ingestion by URL: the URL or the address it resolves to is refused (scheme, private network…). */
  UrlNotAllowed = 'url_not_allowed',
  /** Ingestion by URL: the download failed (DNS, TLS, timeout, status, redirect). */
  UrlFetchFailed = 'url_fetch_failed',
  /** IIIF manifest import: the manifest could not be fetched (DNS, TLS, timeout, status). */
  IiifManifestUnreachable = 'iiif_manifest_unreachable',
  /** IIIF manifest import: the URL answered, but not with a Presentation 2.x or 3 manifest of images. */
  IiifNotAManifest = 'iiif_not_a_manifest',
  /** IIIF manifest import: more canvases than a document may have pages (OCR_MAX_PAGES). */
  IiifTooManyCanvases = 'iiif_too_many_canvases',
  /** IIIF manifest import: a canvas's image or OCR file could not be fetched. */
  IiifResourceUnreachable = 'iiif_resource_unreachable',
  /** An uploaded OCR file (ALTO, hOCR, PAGE) is unreadable, hostile, or does not fit its images. */
  InvalidOcrFile = 'invalid_ocr_file',
  /** An OCR-only document (imported without its images) has no page image to render. */
  PageImageUnavailable = 'page_image_unavailable',
  // Failures recorded on a document by the worker.
  UnreadableFile = 'unreadable_file',
  ImageTooLarge = 'image_too_large',
  TooManyPages = 'too_many_pages',
  EncryptedPdf = 'encrypted_pdf',
  OcrFailed = 'ocr_failed',
  ProviderError = 'provider_error',
  ServiceUnavailable = 'service_unavailable',
  Internal = 'internal_error',
}
