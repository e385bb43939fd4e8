import { DomainException, ErrorCode } from '@recto/common';

export interface MultipartLimits {
  maxUploadBytes: number;
  fields: number;
  fieldSizeBytes: number;
  parts: number;
  fieldNameBytes: number;
}

interface MulterErrorLike {
  name?: string;
  code?: string;
  field?: string;
}

const FIELDS_HINT = 'filename, alias, metadata, language';

/**
 * What went wrong with a multipart upload, in the words of someone writing the request: multer's
 * own codes (LIMIT_UNEXPECTED_FILE…) name its internals, not the fix. Anything else passes through.
 */
export function fromMulterError(error: unknown, limits: MultipartLimits): unknown {
  const multer = error as MulterErrorLike | undefined;
  if (multer?.name !== 'MulterError' || !multer.code) return error;
  const field = multer.field;
  const at = (pointer: string | undefined, detail: string) => [{ pointer: pointer ? `/${pointer}` : null, detail }];
  switch (multer.code) {
    case 'LIMIT_FILE_SIZE':
      return new DomainException(
        ErrorCode.PayloadTooLarge,
        `The file is larger than the upload limit of ${limits.maxUploadBytes} bytes.`,
        at('file', 'too large'),
      );
    case 'LIMIT_UNEXPECTED_FILE':
      return field === 'file'
        ? new DomainException(
            ErrorCode.ValidationFailed,
            "Only one file per upload: send a single part named 'file' (one document per request).",
            at('file', 'more than one file'),
          )
        : new DomainException(
            ErrorCode.ValidationFailed,
            `Unexpected file field '${field ?? ''}': send the scan in a part named 'file'.`,
            at(field, "not 'file'"),
          );
    case 'LIMIT_FILE_COUNT':
      return new DomainException(
        ErrorCode.ValidationFailed,
        "Only one file per upload: send a single part named 'file' (one document per request).",
        at('file', 'more than one file'),
      );
    case 'LIMIT_PART_COUNT':
      return new DomainException(
        ErrorCode.ValidationFailed,
        `The form has too many parts: at most ${limits.parts} (one 'file' and fields such as ${FIELDS_HINT}).`,
        at(undefined, 'too many parts'),
      );
    case 'LIMIT_FIELD_COUNT':
      return new DomainException(
        ErrorCode.ValidationFailed,
        `The form has too many fields: at most ${limits.fields} (${FIELDS_HINT}).`,
        at(undefined, 'too many fields'),
      );
    case 'LIMIT_FIELD_KEY':
      return new DomainException(
        ErrorCode.ValidationFailed,
        `A field name is longer than ${limits.fieldNameBytes} bytes; the fields are ${FIELDS_HINT}.`,
        at(undefined, 'field name too long'),
      );
    case 'LIMIT_FIELD_VALUE':
      return new DomainException(
        ErrorCode.ValidationFailed,
        `Field '${field ?? ''}' is longer than ${limits.fieldSizeBytes} bytes.`,
        at(field, 'too long'),
      );
    case 'MISSING_FIELD_NAME':
      return new DomainException(
        ErrorCode.ValidationFailed,
        `A part of the form has no name: name the scan's part 'file' and each field after its property (${FIELDS_HINT}).`,
        at(undefined, 'part without a name'),
      );
    case 'LIMIT_FIELD_NESTING':
    case 'LIMIT_FIELD_ARRAY_INDEX':
    case 'INVALID_FIELD_NAME':
      return new DomainException(
        ErrorCode.ValidationFailed,
        `Field name '${field ?? ''}' is not one this API reads: use plain names (${FIELDS_HINT}); metadata is one JSON field.`,
        at(field, 'invalid field name'),
      );
    case 'STREAM_DESTROYED':
      return new DomainException(
        ErrorCode.ValidationFailed,
        'The upload was interrupted before the whole file arrived; send it again.',
        at('file', 'incomplete'),
      );
    default:
      return new DomainException(
        ErrorCode.ValidationFailed,
        `The multipart form could not be read (${multer.code}).`,
        at(field, multer.code),
      );
  }
}
