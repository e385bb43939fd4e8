import { ApiPropertyOptional } from '@nestjs/swagger';
import { DeliveryStatus } from '@recto/database';
import { IsIn, IsOptional } from 'class-validator';
import { PageLimit } from './page-limit.decorator';

const STATUSES: DeliveryStatus[] = ['pending', 'succeeded', 'failed'];

export class ListWebhookDeliveriesRequestDto {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: DeliveryStatus;

  @PageLimit()
  limit: number = 20;
}
