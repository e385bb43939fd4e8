import { CanActivate, ExecutionContext, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainException, ErrorCode } from '@recto/common';
import { ApiConfig } from '@recto/config';
import type { Request } from 'express';
import { createHash } from 'node:crypto';
import { IS_PUBLIC } from './public.decorator';

export const DEFAULT_TENANT = 'default';

export type AuthenticatedRequest = Request & { tenantId: string };

const digest = (key: string) => createHash('sha256').update(key).digest('hex');

/**
 * `Authorization: <key>` or `Bearer <key>`; each key maps to one tenant. Keys are compared by
 * their SHA-256 so that lookups take the same time whatever the key. With no keys configured the
 * service is open in a single default tenant.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate, OnModuleInit {
  private readonly logger = new Logger(ApiKeyGuard.name);
  private readonly tenantsByDigest = new Map<string, string>();

  constructor(
    config: ApiConfig,
    private readonly reflector: Reflector,
  ) {
    for (const pair of (config.API_KEYS ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const at = pair.lastIndexOf(':');
      this.tenantsByDigest.set(digest(pair.slice(0, at)), pair.slice(at + 1));
    }
  }

  onModuleInit(): void {
    if (this.tenantsByDigest.size === 0) {
      this.logger.warn(`No API keys configured (API_KEYS): the API is open, in the single tenant "${DEFAULT_TENANT}"`);
    }
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (this.tenantsByDigest.size === 0) {
      req.tenantId = DEFAULT_TENANT;
      return true;
    }
    const header = req.headers.authorization ?? '';
    const key = header.replace(/^Bearer\s+/i, '').trim();
    const tenant = key ? this.tenantsByDigest.get(digest(key)) : undefined;
    if (!tenant) {
      throw new DomainException(
        ErrorCode.Unauthorized,
        key ? 'The API key is not valid.' : 'An API key is required in the Authorization header.',
      );
    }
    req.tenantId = tenant;
    return true;
  }
}
