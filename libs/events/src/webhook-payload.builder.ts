import { StoredEvent, withBaseUrl } from '@recto/database';

/** The JSON body of a webhook delivery and of an event-stream message: Standard Webhooks' shape. */
export interface EventPayload {
  type: string;
  timestamp: string;
  data: unknown;
}

export function buildEventPayload(
  event: Pick<StoredEvent, 'type' | 'createdAt' | 'data'>,
  baseUrl: string | undefined,
): EventPayload {
  return { type: event.type, timestamp: event.createdAt.toISOString(), data: withBaseUrl(event.data, baseUrl) };
}
