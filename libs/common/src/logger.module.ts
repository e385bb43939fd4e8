import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule as PinoLoggerModule } from 'nestjs-pino';
import { IncomingMessage } from 'node:http';
import { RequestContext, sanitizeRequestId } from './request-context';

export interface LoggerOptions {
  level: string;
  pretty?: boolean;
  name: string;
}

/** JSON logs (pino); each HTTP log line carries the request id that also travels in job data. */
@Module({})
export class LoggerModule {
  static forRoot(options: LoggerOptions): DynamicModule {
    return {
      module: LoggerModule,
      imports: [
        PinoLoggerModule.forRoot({
          pinoHttp: {
            name: options.name,
            level: options.level,
            genReqId: (req: IncomingMessage) =>
              RequestContext.requestId() ?? sanitizeRequestId(req.headers['x-request-id']) ?? '',
            customProps: () => ({ request_id: RequestContext.requestId() }),
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') },
          },
        }),
      ],
      exports: [PinoLoggerModule],
    };
  }
}
