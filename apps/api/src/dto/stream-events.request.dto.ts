import { ApiPropertyOptional } from '@nestjs/swagger';
import { EVENT_TYPES, EventType } from '@recto/database';
import { Transform } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsIn, IsOptional, Matches } from 'class-validator';

export class StreamEventsRequestDto {
  @ApiPropertyOptional({
    description: 'Resume after this event id, like the Last-Event-ID header (which wins when both are sent)',
  })
  @IsOptional()
  @Matches(/^\d{1,15}$/, { message: 'last_event_id must be an event id (digits)' })
  last_event_id?: string;

  @ApiPropertyOptional({
    description: 'Only these event types, comma-separated (default: all)',
    example: 'document.processed,document.failed',
    type: String,
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.split(',').map((t) => t.trim()) : value,
  )
  @IsArray()
  @ArrayNotEmpty()
  @IsIn(EVENT_TYPES, { each: true, message: `types must be a comma-separated list of ${EVENT_TYPES.join(', ')}` })
  types?: EventType[];
}
