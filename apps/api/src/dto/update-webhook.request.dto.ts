import { ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { CreateWebhookRequestDto } from './create-webhook.request.dto';

export class UpdateWebhookRequestDto extends PartialType(CreateWebhookRequestDto) {
  @ApiPropertyOptional({ description: 'true turns an endpoint on again, also one Recto disabled for failing' })
  @IsOptional()
  @IsBoolean()
  override enabled?: boolean;
}
