import { Injectable } from '@nestjs/common';
import { ApiConfig } from '@recto/config';
import type { Request } from 'express';

/** The base URL clients reach us at, for `polling_url`; PUBLIC_URL wins over the request's Host. */
@Injectable()
export class PublicUrl {
  constructor(private readonly config: ApiConfig) {}

  of(req: Request): string {
    if (this.config.PUBLIC_URL) return this.config.PUBLIC_URL.replace(/\/+$/, '');
    return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  }
}
