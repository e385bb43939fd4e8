import { DomainException, ErrorCode, NotFoundException } from '@recto/common';

export class WebhookNotFoundException extends NotFoundException {
  constructor() {
    super('The webhook endpoint', ErrorCode.WebhookNotFound);
  }
}

export class WebhookDeliveryNotFoundException extends NotFoundException {
  constructor() {
    super('The delivery', ErrorCode.WebhookDeliveryNotFound);
  }
}

/** A webhook URL refused at registration, or a delivery refused at connect time (DNS rebinding). */
export class WebhookUrlNotAllowedException extends DomainException {
  constructor(detail: string) {
    super(ErrorCode.UrlNotAllowed, detail, [{ pointer: '/url', detail: 'not allowed' }]);
  }
}
