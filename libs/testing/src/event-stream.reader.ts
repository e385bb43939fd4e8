export interface SseMessage {
  id: string | undefined;
  event: string | undefined;
  data: string;
}

export interface EventStreamReader {
  messages: SseMessage[];
  /** Comment lines seen (heartbeats). */
  comments: string[];
  /** The server ended the stream. */
  readonly ended: boolean;
  /** Resolves once `count` messages have arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<SseMessage[]>;
  close(): void;
}

/** Reads a text/event-stream response with fetch (as the viewer does), parsing messages per the SSE spec. */
export async function openEventStream(url: string, headers: Record<string, string> = {}): Promise<EventStreamReader> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  if (res.status !== 200 || !res.body) throw new Error(`event stream answered ${res.status}: ${await res.text()}`);
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  const waiters: (() => void)[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  let ended = false;
  const pump = async () => {
    const reader = res.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        ended = true;
        return;
      }
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const message: SseMessage = { id: undefined, event: undefined, data: '' };
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) comments.push(line.slice(1).trim());
          else if (line.startsWith('id:')) message.id = line.slice(3).trim();
          else if (line.startsWith('event:')) message.event = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
        }
        if (data.length > 0) {
          message.data = data.join('\n');
          messages.push(message);
          waiters.splice(0).forEach((w) => w());
        }
      }
    }
  };
  pump().catch(() => {
    ended = true;
  });
  return {
    messages,
    comments,
    get ended() {
      return ended;
    },
    async waitFor(count: number, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline) throw new Error(`only ${messages.length} of ${count} events arrived`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 200);
        });
      }
      return messages.slice(0, count);
    },
    close: () => controller.abort(),
  };
}
