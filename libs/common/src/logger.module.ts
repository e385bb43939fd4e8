import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule as PinoLoggerModule } from 'nestjs-pino';
import { IncomingMessage } from 'node:http';
import { RequestContext, sanitizeRequestId } from './request-context';
import { requestLogSerializers } from './request-log.serializers';

export interface LoggerOptions {
  level: string;
  /** Default: when stdout is a terminal (a person reading); JSON otherwise (a collector reading). */
  pretty?: boolean;
  name: string;
}

/**
 * pino logs: one line of text per event on a terminal (pino-pretty), JSON lines otherwise; each
 * HTTP log line carries the request id that also travels in job data.
 */
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
            ...((options.pretty ?? process.stdout.isTTY === true)
              ? {
                  transport: {
                    target: 'pino-pretty',
                    options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
                  },
                }
              : {}),
            genReqId: (req: IncomingMessage) =>
              RequestContext.requestId() ?? sanitizeRequestId(req.headers['x-request-id']) ?? '',
            customProps: () => ({ request_id: RequestContext.requestId() }),
            serializers: requestLogSerializers,
            autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') },
          },
        }),
      ],
      exports: [PinoLoggerModule],
    };
  }
}
