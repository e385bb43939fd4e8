import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { DOCUMENTS_QUEUE } from './job-name';

/** How long an announcement holds without being renewed: a stopped worker's engines vanish after this. */
export const PROVIDER_ANNOUNCEMENT_TTL_MS = 30_000;

/**
 * Which OCR engines the running workers of this deployment can run, as they announce them in
 * Redis beside their queue (one key per engine, renewed by every worker that has it). The API asks
 * before queueing a `reprocess`, so a request for an engine no worker has is refused up front
 * instead of failing the document later. Workers know their engines from their own config (a
 * Mindee key lives only there), so this is read from them rather than from a config the API shares.
 */
@Injectable()
export class ProviderAnnouncements {
  constructor(@InjectQueue(DOCUMENTS_QUEUE) private readonly queue: Queue) {}

  async announce(providers: string[]): Promise<void> {
    const client = await this.redis();
    const multi = client.multi();
    for (const name of providers) multi.set(this.key(name), '1', 'PX', PROVIDER_ANNOUNCEMENT_TTL_MS);
    await multi.exec();
  }

  async isAnnounced(provider: string): Promise<boolean> {
    const client = await this.redis();
    return (await client.exists(this.key(provider))) === 1;
  }

  /** BullMQ's own connection (ioredis): no extra connection per process. */
  private async redis(): Promise<Redis> {
    return (await this.queue.client) as unknown as Redis;
  }

  private key(provider: string): string {
    return `${this.queue.opts.prefix}:${DOCUMENTS_QUEUE}:ocr-provider:${provider}`;
  }
}
