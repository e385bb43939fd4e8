import { registerDecorator, ValidationOptions } from 'class-validator';

export const METADATA_MAX_KEYS = 64;
export const METADATA_KEY_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;
export const METADATA_MAX_STRING = 1024;

/** A flat object of strings, numbers and booleans with bounded keys and values. */
export function IsFlatMetadata(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isFlatMetadata',
      target: object.constructor,
      propertyName,
      options: {
        message: `must be a JSON object of at most ${METADATA_MAX_KEYS} keys (letters, digits, _ . -) with string (≤ ${METADATA_MAX_STRING} chars), number or boolean values`,
        ...options,
      },
      validator: {
        validate(value: unknown) {
          if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
          const entries = Object.entries(value as Record<string, unknown>);
          if (entries.length > METADATA_MAX_KEYS) return false;
          return entries.every(
            ([k, v]) =>
              METADATA_KEY_PATTERN.test(k) &&
              ((typeof v === 'string' && v.length <= METADATA_MAX_STRING) ||
                (typeof v === 'number' && Number.isFinite(v)) ||
                typeof v === 'boolean'),
          );
        },
      },
    });
}
