import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { OcrProviderRegistry } from '@recto/documents';
import { PROVIDER_ANNOUNCEMENT_TTL_MS, ProviderAnnouncements } from '@recto/queue';

/** Tells the API which OCR engines this worker runs, renewed well within the announcement's lifetime. */
@Injectable()
export class ProviderAnnouncementScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ProviderAnnouncementScheduler.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly registry: OcrProviderRegistry,
    private readonly announcements: ProviderAnnouncements,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const announce = () =>
      this.announcements
        .announce(this.registry.names())
        .catch((err: unknown) => this.logger.warn({ err }, 'Could not announce OCR providers'));
    this.timer = setInterval(announce, PROVIDER_ANNOUNCEMENT_TTL_MS / 3);
    this.timer.unref();
    await announce();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
