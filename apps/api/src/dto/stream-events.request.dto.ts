import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

export class StreamEventsRequestDto {
  @ApiPropertyOptional({
    description: 'Resume after this event id, like the Last-Event-ID header (which wins when both are sent)',
  })
  @IsOptional()
  @Matches(/^\d{1,15}$/, { message: 'last_event_id must be an event id (digits)' })
  last_event_id?: string;
}
