/** What happened to a document; the `type` of webhook deliveries and of the event stream. */
export enum EventType {
  DocumentProcessed = 'document.processed',
  DocumentFailed = 'document.failed',
  DocumentDeleted = 'document.deleted',
}

export const EVENT_TYPES = Object.values(EventType);
