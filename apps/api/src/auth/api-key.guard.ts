import { CanActivate, ExecutionContext, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeyService, Caller, DEFAULT_TENANT } from '@recto/auth';
import { IiifAccessService } from '@recto/iiif';
import type { Request } from 'express';
import { authenticate, AUTHENTICATED } from './authenticate';
import { IIIF_LINK } from './iiif-link.decorator';
import { IS_PUBLIC } from './public.decorator';

/** `keyId` identifies the caller's key for throttling; in open mode it is the client address. */
export type AuthenticatedRequest = Request & { tenantId: string; keyId: string; [AUTHENTICATED]?: Caller | null };

/**
 * `Authorization: <key>` or `Bearer <key>`; each key maps to one tenant, and every route reads the
 * tenant from here, never from the request. With no keys anywhere the service is open in a single
 * default tenant. IIIF routes also take a signed link in the path instead (IiifLinkRoute).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate, OnModuleInit {
  private readonly logger = new Logger(ApiKeyGuard.name);

  constructor(
    private readonly keys: ApiKeyService,
    private readonly reflector: Reflector,
    private readonly iiifAccess: IiifAccessService,
  ) {}

  async onModuleInit(): Promise<void> {
    if (await this.keys.isOpen()) {
      this.logger.warn(
        `No API keys configured (API_KEYS or \`npm run keys\`): the API is open, in the single tenant "${DEFAULT_TENANT}"`,
      );
    }
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = req.params?.token;
    if (
      typeof token === 'string' &&
      this.reflector.getAllAndOverride<boolean>(IIIF_LINK, [context.getHandler(), context.getClass()])
    ) {
      req.tenantId = await this.iiifAccess.tenantOf(token, String(req.params.id));
      // Viewers of a link share no key: each client address gets its own budget.
      req.keyId = `iiif-link-${req.ip ?? 'unknown'}`;
      return true;
    }
    const caller =
      AUTHENTICATED in req ? (req[AUTHENTICATED] ?? null) : await authenticate(this.keys, req.headers.authorization);
    if (!caller) {
      req.tenantId = DEFAULT_TENANT;
      req.keyId = `ip-${req.ip ?? 'unknown'}`;
      return true;
    }
    req.tenantId = caller.tenantId;
    req.keyId = caller.keyId;
    return true;
  }
}
