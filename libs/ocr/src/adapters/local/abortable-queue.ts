/** Someone waiting in line for a lane or a worker; `reject` ends the wait. */
export interface QueuedWaiter {
  reject: (error: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/** Puts `waiter` at the end of `queue`; aborting its signal takes it out and rejects it with the reason. */
export function joinQueue<W extends QueuedWaiter>(queue: W[], waiter: W): void {
  const { signal } = waiter;
  if (signal) {
    waiter.onAbort = () => {
      const index = queue.indexOf(waiter);
      if (index >= 0) queue.splice(index, 1);
      waiter.reject(signal.reason);
    };
    signal.addEventListener('abort', waiter.onAbort, { once: true });
  }
  queue.push(waiter);
}

/** For a waiter taken off the queue to be served: its signal no longer concerns the queue. */
export function leaveQueue(waiter: QueuedWaiter): void {
  if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
}
