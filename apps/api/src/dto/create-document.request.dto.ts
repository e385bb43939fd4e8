import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsArray, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsFlatMetadata } from './metadata.validator';

/** Multipart sends every field as text: metadata arrives as a JSON string there. */
const parseJsonObject = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
};

const toLanguageList = ({ value }: { value: unknown }) => {
  if (value === undefined || value === null || value === '') return undefined;
  const list = Array.isArray(value) ? value : String(value).split(/[+,\s]+/);
  return list.map((v) => String(v).trim().toLowerCase()).filter(Boolean);
};

export class CreateDocumentRequestDto {
  // The two file parts are read by the upload interceptor, never from the body: described here
  // for the OpenAPI document only; without validators they are stripped from a JSON body.
  @ApiPropertyOptional({
    type: 'string',
    format: 'binary',
    description: 'Multipart: the scan (PDF, PNG, JPEG, TIFF, WebP, HEIC). Optional when `ocr` parts are sent.',
  })
  file?: never;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', format: 'binary' },
    description:
      'Multipart: OCR files (ALTO, hOCR or PAGE XML, told from the content), at most 200; pages in part order. ' +
      'The document is processed without OCR (`ocr_provider` `import`), with `file` as its image(s) or OCR-only without it.',
  })
  ocr?: never;

  @ApiPropertyOptional({ description: 'The file as base64 (JSON requests). Multipart requests send `file` instead.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  file_base64?: string;

  @ApiPropertyOptional({ description: 'An HTTPS URL to fetch the file from.' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({
    description:
      'An HTTPS URL of a IIIF Presentation 2.x or 3 manifest: its canvases become the pages, their linked ALTO/hOCR/PAGE the OCR.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  iiif_manifest?: string;

  @ApiPropertyOptional({ description: 'Display name; never used as a path.' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  filename?: string;

  @ApiPropertyOptional({ description: "The caller's own reference." })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  alias?: string;

  @ApiPropertyOptional({
    description: 'Flat JSON object of strings, numbers, booleans (a JSON string in multipart).',
    type: 'object',
    additionalProperties: true,
  })
  @IsOptional()
  @Transform(parseJsonObject)
  @IsFlatMetadata()
  metadata?: Record<string, string | number | boolean>;

  @ApiPropertyOptional({ description: 'Language hints for OCR, e.g. `deu` or `eng+deu`.', type: [String] })
  @IsOptional()
  @Transform(toLanguageList)
  @IsArray()
  @Matches(/^[a-z_]{3,12}$/, { each: true })
  language?: string[];
}
