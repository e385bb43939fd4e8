import { Global, Module } from '@nestjs/common';
import { ApiConfig } from '@recto/config';
import { ApiKeyRepository, DeploymentIdentity } from '@recto/database';
import { ApiKeyService } from './api-key.service';
import { RateLimiter } from './rate-limiter';

/** Who may call the API, and how often; needs DatabaseModule and an ApiConfig. */
@Global()
@Module({
  providers: [
    {
      provide: ApiKeyService,
      inject: [ApiKeyRepository, ApiConfig],
      useFactory: (keys: ApiKeyRepository, config: ApiConfig) =>
        new ApiKeyService(keys, { envKeys: config.API_KEYS, cacheSeconds: config.API_KEY_CACHE_SECONDS }),
    },
    {
      provide: RateLimiter,
      inject: [ApiConfig, DeploymentIdentity],
      useFactory: (config: ApiConfig, deployment: DeploymentIdentity) =>
        new RateLimiter({
          redisUrl: config.REDIS_URL,
          prefix: deployment.queuePrefix,
          limit: config.THROTTLE_LIMIT,
          windowSeconds: config.THROTTLE_WINDOW_SECONDS,
        }),
    },
  ],
  exports: [ApiKeyService, RateLimiter],
})
export class AuthModule {}
