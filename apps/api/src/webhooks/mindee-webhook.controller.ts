import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { MindeeWebhookService } from '@recto/documents';
import type { Request } from 'express';
import { Public } from '../auth/public.decorator';
import { WebhookReceiptResponseDto } from '../dto/webhook-receipt.response.dto';

@ApiTags('webhooks')
@Controller('v1/webhooks')
export class MindeeWebhookController {
  constructor(private readonly webhooks: MindeeWebhookService) {}

  /** Authenticated by its HMAC signature, not by an API key: Mindee holds none of ours. */
  @Public()
  @Post('mindee')
  @HttpCode(200)
  @ApiOperation({
    summary: "Mindee's ocr-utility-processed webhook (the OCRResponse), HMAC-signed with MINDEE_WEBHOOK_SECRET",
  })
  @ApiHeader({ name: 'X-Mindee-Hmac-Signature', required: true, description: 'hex HMAC-SHA256 of the raw body' })
  @ApiResponse({ status: 200, type: WebhookReceiptResponseDto })
  @ApiResponse({ status: 401, description: 'Missing or wrong signature; nothing stored' })
  @ApiResponse({ status: 404, description: 'Unknown Mindee job, or webhooks not enabled' })
  mindee(
    @Req() req: Request,
    @Headers('x-mindee-hmac-signature') signature: string | undefined,
  ): Promise<WebhookReceiptResponseDto> {
    return this.webhooks.receive(Buffer.isBuffer(req.body) ? req.body : undefined, signature);
  }
}
