import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DeliveryRecord, EVENT_TYPES } from '@recto/database';

export class WebhookAttemptDto {
  @ApiProperty({ description: '1-based' }) attempt: number;
  @ApiPropertyOptional({ nullable: true, type: Number, description: "The receiver's HTTP status; null if none" })
  status_code: number | null;
  @ApiProperty() duration_ms: number;
  @ApiPropertyOptional({ nullable: true, type: String }) error: string | null;
  @ApiProperty() created_at: string;
}

export class WebhookDeliveryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'The webhook-id header: the same on every attempt' }) event_id: string;
  @ApiProperty({ enum: EVENT_TYPES }) event_type: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) document_id: string | null;
  @ApiProperty({ enum: ['pending', 'succeeded', 'failed'] }) status: string;
  @ApiProperty() attempts: number;
  @ApiPropertyOptional({ nullable: true, type: String }) next_attempt_at: string | null;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
  @ApiProperty({ type: [WebhookAttemptDto], description: 'Oldest first' }) attempt_log: WebhookAttemptDto[];

  static from(d: DeliveryRecord): WebhookDeliveryDto {
    return {
      id: d.id,
      event_id: d.eventId,
      event_type: d.eventType,
      document_id: d.documentId,
      status: d.status,
      attempts: d.attempts,
      next_attempt_at: d.nextAttemptAt ? d.nextAttemptAt.toISOString() : null,
      created_at: d.createdAt.toISOString(),
      updated_at: d.updatedAt.toISOString(),
      attempt_log: d.attemptLog.map((a) => ({
        attempt: a.attempt,
        status_code: a.statusCode,
        duration_ms: a.durationMs,
        error: a.error,
        created_at: a.createdAt.toISOString(),
      })),
    };
  }
}

export class WebhookDeliveryListResponseDto {
  @ApiProperty({ type: [WebhookDeliveryDto], description: 'Newest first' }) deliveries: WebhookDeliveryDto[];
}

export class WebhookDeliveryResponseDto {
  @ApiProperty({ type: WebhookDeliveryDto }) delivery: WebhookDeliveryDto;
}
