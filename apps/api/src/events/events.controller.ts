import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DomainException, ErrorCode } from '@recto/common';
import { ApiConfig } from '@recto/config';
import { StoredEvent } from '@recto/database';
import { buildEventPayload, EventStreamService } from '@recto/events';
import type { Request, Response } from 'express';
import { Tenant } from '../auth/tenant.decorator';
import { StreamEventsRequestDto } from '../dto/stream-events.request.dto';
import { PublicUrl } from '../public-url';

@ApiTags('events')
@Controller('v1/events')
export class EventsController {
  constructor(
    private readonly stream: EventStreamService,
    private readonly publicUrl: PublicUrl,
    private readonly config: ApiConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary: "Server-Sent Events: the tenant's document events as they commit, resumable with Last-Event-ID",
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Replay every event after this id first' })
  @ApiResponse({ status: 200, description: '`id: <n>`, `event: <type>`, `data: {type, timestamp, data}` messages' })
  async events(
    @Tenant() tenantId: string,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Query() query: StreamEventsRequestDto,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const after = parseEventId(lastEventId ?? query.last_event_id);
    const base = this.publicUrl.of(req);
    const format = (e: StoredEvent) =>
      `id: ${e.seq}\nevent: ${e.type}\ndata: ${JSON.stringify(buildEventPayload(e, base))}\n\n`;
    const wanted = query.types ? new Set(query.types) : null;
    const subscription = await this.stream.subscribe(tenantId, after, {
      write: (events) => {
        const shown = wanted ? events.filter((e) => wanted.has(e.type)) : events;
        if (shown.length > 0) res.write(shown.map(format).join(''));
      },
      end: () => res.end(),
    });
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write(`retry: 3000\n: connected\n\n`);
    // A comment now and then keeps proxies from timing the stream out, and re-reads the table in
    // case a notification was lost.
    const heartbeat = setInterval(() => {
      res.write(': heartbeat\n\n');
      subscription.poll();
    }, this.config.EVENTS_HEARTBEAT_MS);
    req.on('close', () => {
      clearInterval(heartbeat);
      subscription.close();
    });
  }
}

function parseEventId(raw: string | undefined): number | null {
  if (raw === undefined || raw === '') return null;
  if (!/^\d{1,15}$/.test(raw.trim())) {
    throw new DomainException(ErrorCode.ValidationFailed, 'Last-Event-ID must be an event id (digits).', [
      { pointer: null, detail: 'Last-Event-ID' },
    ]);
  }
  return Number(raw.trim());
}
