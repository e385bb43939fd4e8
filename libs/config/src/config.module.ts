import { DynamicModule, Global, Module } from '@nestjs/common';
import { SharedConfig } from './shared.config';
import { loadConfig } from './validate-config';

/**
 * Validates the app's schema once at boot and provides the typed object under its class,
 * so consumers inject `ApiConfig` or `WorkerConfig` directly.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot<T extends SharedConfig>(schema: new () => T, value: T = loadConfig(schema)): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: schema, useValue: value },
        // Libs that need only the shared keys inject SharedConfig and work under either app.
        { provide: SharedConfig, useValue: value },
      ],
      exports: [schema, SharedConfig],
    };
  }
}
