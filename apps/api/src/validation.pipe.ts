import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainException, ErrorCode, ErrorItem } from '@recto/common';

function flatten(errors: ValidationError[], prefix = ''): ErrorItem[] {
  return errors.flatMap((e) => {
    const pointer = `${prefix}/${e.property}`;
    const own = Object.values(e.constraints ?? {}).map((detail) => ({ pointer, detail }));
    return [...own, ...flatten(e.children ?? [], pointer)];
  });
}

/** class-validator failures as 422 problem details with a JSON pointer per bad field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: false,
    exceptionFactory: (errors) => {
      const items = flatten(errors);
      return new DomainException(
        ErrorCode.ValidationFailed,
        `The request is not valid: ${items.map((i) => `${i.pointer} ${i.detail}`).join('; ')}`,
        items,
      );
    },
  });
}
