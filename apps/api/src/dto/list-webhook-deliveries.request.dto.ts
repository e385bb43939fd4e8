import { ApiPropertyOptional } from '@nestjs/swagger';
import { DeliveryStatus } from '@recto/database';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

const STATUSES: DeliveryStatus[] = ['pending', 'succeeded', 'failed'];

export class ListWebhookDeliveriesRequestDto {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: DeliveryStatus;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;
}
