import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DomainException, ErrorCode } from '@recto/common';
import { WebhookService } from '@recto/events';
import { Tenant } from '../auth/tenant.decorator';
import { CreateWebhookRequestDto } from '../dto/create-webhook.request.dto';
import { ListWebhookDeliveriesRequestDto } from '../dto/list-webhook-deliveries.request.dto';
import { UpdateWebhookRequestDto } from '../dto/update-webhook.request.dto';
import {
  WebhookDeliveryDto,
  WebhookDeliveryListResponseDto,
  WebhookDeliveryResponseDto,
} from '../dto/webhook-delivery.response.dto';
import { WebhookDto, WebhookListResponseDto, WebhookResponseDto } from '../dto/webhook.response.dto';

const webhookId = new ParseUUIDPipe({
  exceptionFactory: () => new DomainException(ErrorCode.WebhookNotFound, 'The webhook endpoint was not found.'),
});
const deliveryId = new ParseUUIDPipe({
  exceptionFactory: () => new DomainException(ErrorCode.WebhookDeliveryNotFound, 'The delivery was not found.'),
});

/** The caller's outgoing webhook endpoints (`POST /v1/webhooks/mindee` is Mindee's incoming one). */
@ApiTags('webhooks')
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhookService) {}

  @Post()
  @ApiOperation({ summary: 'Register an endpoint; the answer carries its signing secret, shown only this once' })
  @ApiResponse({ status: 201, type: WebhookResponseDto })
  @ApiResponse({ status: 422, description: 'Invalid body, or a URL that is not http(s) or not public' })
  async create(@Tenant() tenantId: string, @Body() body: CreateWebhookRequestDto): Promise<WebhookResponseDto> {
    return { webhook: WebhookDto.from(await this.webhooks.create(tenantId, body), { withSecret: true }) };
  }

  @Get()
  @ApiResponse({ status: 200, type: WebhookListResponseDto })
  async list(@Tenant() tenantId: string): Promise<WebhookListResponseDto> {
    return { webhooks: (await this.webhooks.list(tenantId)).map((e) => WebhookDto.from(e)) };
  }

  @Get(':id')
  @ApiResponse({ status: 200, type: WebhookResponseDto })
  async get(@Tenant() tenantId: string, @Param('id', webhookId) id: string): Promise<WebhookResponseDto> {
    return { webhook: WebhookDto.from(await this.webhooks.get(tenantId, id)) };
  }

  @Patch(':id')
  @ApiResponse({ status: 200, type: WebhookResponseDto })
  async update(
    @Tenant() tenantId: string,
    @Param('id', webhookId) id: string,
    @Body() body: UpdateWebhookRequestDto,
  ): Promise<WebhookResponseDto> {
    return { webhook: WebhookDto.from(await this.webhooks.update(tenantId, id, body)) };
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Tenant() tenantId: string, @Param('id', webhookId) id: string): Promise<void> {
    await this.webhooks.delete(tenantId, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'A new signing secret, shown once; the old one stops signing at once' })
  @ApiResponse({ status: 200, type: WebhookResponseDto })
  async rotateSecret(@Tenant() tenantId: string, @Param('id', webhookId) id: string): Promise<WebhookResponseDto> {
    return { webhook: WebhookDto.from(await this.webhooks.rotateSecret(tenantId, id), { withSecret: true }) };
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: "The endpoint's deliveries, newest first, each with its attempts" })
  @ApiResponse({ status: 200, type: WebhookDeliveryListResponseDto })
  async deliveries(
    @Tenant() tenantId: string,
    @Param('id', webhookId) id: string,
    @Query() query: ListWebhookDeliveriesRequestDto,
  ): Promise<WebhookDeliveryListResponseDto> {
    return { deliveries: (await this.webhooks.deliveries(tenantId, id, query)).map((d) => WebhookDeliveryDto.from(d)) };
  }

  @Post(':id/deliveries/:deliveryId/resend')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a delivery again (same webhook-id), as soon as a worker is free' })
  @ApiResponse({ status: 202, type: WebhookDeliveryResponseDto })
  async resend(
    @Tenant() tenantId: string,
    @Param('id', webhookId) id: string,
    @Param('deliveryId', deliveryId) delivery: string,
  ): Promise<WebhookDeliveryResponseDto> {
    return { delivery: WebhookDeliveryDto.from(await this.webhooks.resend(tenantId, id, delivery)) };
  }
}
