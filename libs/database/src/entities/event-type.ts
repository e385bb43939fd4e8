/** What happened to a document; the `type` of webhook deliveries and of the event stream. */
export enum EventType {
  DocumentProcessed = 'document.processed',
  DocumentFailed = 'document.failed',
  DocumentDeleted = 'document.deleted',
  /** Page count known, or more pages read, while the document is Processing (at most about once a second). */
  DocumentProgress = 'document.progress',
}

export const EVENT_TYPES = Object.values(EventType);
