import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RateLimiter, TooManyRequestsException } from '@recto/auth';
import { ApiConfig } from '@recto/config';
import type { Response } from 'express';
import type { AuthenticatedRequest } from './api-key.guard';
import { IS_PUBLIC } from './public.decorator';

/** Runs after ApiKeyGuard: one shared budget per key across every api process. */
@Injectable()
export class ThrottleGuard implements CanActivate {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly reflector: Reflector,
    private readonly config: ApiConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.config.THROTTLE_LIMIT === 0) return true;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const http = context.switchToHttp();
    const req = http.getRequest<AuthenticatedRequest>();
    const decision = await this.limiter.hit(req.keyId);
    const res = http.getResponse<Response>();
    res.setHeader('RateLimit-Limit', String(decision.limit));
    res.setHeader('RateLimit-Remaining', String(decision.remaining));
    res.setHeader('RateLimit-Reset', String(decision.resetSeconds));
    if (!decision.allowed) {
      throw new TooManyRequestsException(decision.resetSeconds, decision.limit, this.config.THROTTLE_WINDOW_SECONDS);
    }
    return true;
  }
}
