import { ApiProperty } from '@nestjs/swagger';

export class WebhookReceiptResponseDto {
  @ApiProperty({
    enum: ['completed', 'ignored'],
    description:
      '`completed`: this delivery stored the result; `ignored`: already stored (e.g. by polling) or superseded',
  })
  status: 'completed' | 'ignored';

  @ApiProperty({ format: 'uuid' }) document_id: string;
}
