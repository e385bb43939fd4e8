import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EVENT_TYPES, WebhookEndpointEntity } from '@recto/database';

export class WebhookDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() url: string;
  @ApiPropertyOptional({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ enum: EVENT_TYPES, isArray: true }) events: string[];
  @ApiProperty() enabled: boolean;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Why Recto turned it off (failing too long)' })
  disabled_reason: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Since when every attempt has failed' })
  failing_since: string | null;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
  @ApiPropertyOptional({ description: 'The signing secret (whsec_…): only in the answers to create and rotate-secret' })
  secret?: string;

  static from(e: WebhookEndpointEntity, options: { withSecret?: boolean } = {}): WebhookDto {
    return {
      id: e.id,
      url: e.url,
      description: e.description,
      events: e.events,
      enabled: e.enabled,
      disabled_reason: e.disabledReason,
      failing_since: e.failingSince ? e.failingSince.toISOString() : null,
      created_at: e.createdAt.toISOString(),
      updated_at: e.updatedAt.toISOString(),
      ...(options.withSecret ? { secret: e.secret } : {}),
    };
  }
}

export class WebhookResponseDto {
  @ApiProperty({ type: WebhookDto }) webhook: WebhookDto;
}

export class WebhookListResponseDto {
  @ApiProperty({ type: [WebhookDto] }) webhooks: WebhookDto[];
}
