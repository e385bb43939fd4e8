import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { DomainException, ErrorCode } from '@recto/common';
import type { Request } from 'express';

const KEY = /^metadata\.([A-Za-z0-9_][A-Za-z0-9_.-]{0,63})$/;

/** `metadata.<key>=value` query parameters as a map (the DTO cannot name dynamic keys). */
export const MetadataFilters = createParamDecorator((_: unknown, ctx: ExecutionContext): Record<string, string> => {
  const query = ctx.switchToHttp().getRequest<Request>().query;
  const filters: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) {
    if (!name.startsWith('metadata.')) continue;
    const match = KEY.exec(name);
    if (!match || typeof value !== 'string' || value.length > 1024) {
      throw new DomainException(ErrorCode.ValidationFailed, `The filter ${name} is not valid.`, [
        { pointer: `/${name}`, detail: 'metadata filters take one value of up to 1024 characters' },
      ]);
    }
    filters[match[1]] = value;
  }
  return filters;
});
