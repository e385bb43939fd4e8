import type { RectoDocument } from './recto-api';

export type DocumentEventType = 'document.processed' | 'document.failed' | 'document.deleted' | 'document.progress';

export interface DocumentEvent {
  id: string;
  type: DocumentEventType;
  document: RectoDocument;
}

export interface EventStreamHandlers {
  /** The stream is (again) connected: reload what may have changed meanwhile. */
  onOpen(): void;
  onEvent(event: DocumentEvent): void;
  /** The stream dropped; it reconnects by itself, resuming after the last event seen. */
  onDrop(): void;
}

const RETRY_MS = 3000;

/**
 * `GET /v1/events` read with fetch, because EventSource cannot send the Authorization header: the
 * response body is parsed as Server-Sent Events, and a dropped stream is resumed with Last-Event-ID.
 * Returns the function that stops it.
 */
export function subscribeToEvents(apiKey: string, handlers: EventStreamHandlers): () => void {
  let stopped = false;
  let lastEventId: string | undefined;
  let controller: AbortController | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const connect = async () => {
    controller = new AbortController();
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (apiKey) headers.Authorization = apiKey;
    if (lastEventId) headers['Last-Event-ID'] = lastEventId;
    const res = await fetch('/v1/events', { headers, signal: controller.signal });
    if (!res.ok || !res.body) throw new Error(`event stream: ${res.status}`);
    handlers.onOpen();
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += value.replace(/\r\n?/g, '\n');
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        dispatch(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  };

  const dispatch = (block: string) => {
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('id:')) id = line.slice(3).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length === 0) return;
    if (id) lastEventId = id;
    try {
      const payload = JSON.parse(data.join('\n')) as { type: DocumentEventType; data: RectoDocument };
      handlers.onEvent({ id: id ?? '', type: payload.type, document: payload.data });
    } catch {
      // Not an event of ours: ignored.
    }
  };

  const run = () => {
    connect().then(
      () => again(),
      () => again(),
    );
  };
  const again = () => {
    if (stopped) return;
    handlers.onDrop();
    retry = setTimeout(run, RETRY_MS);
  };
  run();
  return () => {
    stopped = true;
    clearTimeout(retry);
    controller?.abort();
  };
}

/**
 * The list after an event: the document updated in place (or added on top), or removed — also
 * when the list shows only low-quality documents and this one is not.
 */
export function applyDocumentEvent(documents: RectoDocument[], event: DocumentEvent, lowOnly = false): RectoDocument[] {
  const rest = documents.filter((d) => d.id !== event.document.id);
  if (event.type === 'document.deleted' || (lowOnly && event.document.quality !== 'low')) return rest;
  const index = documents.findIndex((d) => d.id === event.document.id);
  if (index < 0) return [event.document, ...documents];
  return documents.map((d) => (d.id === event.document.id ? event.document : d));
}
