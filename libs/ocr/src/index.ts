export * from './ocr-result';
export * from './page-turn';
export * from './ocr-provider.interface';
export { LocalOcrAdapter } from './adapters/local/local-ocr.adapter';
export {
  DEFAULT_LOCAL_OCR_OPTIONS,
  type LocalOcrOptions,
  type TesseractModel,
} from './adapters/local/local-ocr.options';
export { DEFAULT_RESOLUTION_RULE, SegmentationMode, type ResolutionRule } from './adapters/local/resolution';
export { installedLanguages } from './adapters/local/tesseract-languages';
export { estimateDpi } from './adapters/local/resolution';
export { OcrModule, LOCAL_OCR_OPTIONS } from './ocr.module';
export * from './rendering/page-image.renderer';
export * from './provider-job-failed.exception';
export { InMemoryOcrCheckpoint } from './in-memory-ocr.checkpoint';
export { MindeeOcrAdapter, type MindeeAdapterOptions } from './adapters/mindee/mindee-ocr.adapter';
export { DEFAULT_MINDEE_OPTIONS, type MindeeOptions } from './adapters/mindee/mindee.options';
export { MindeeResultReader } from './adapters/mindee/mindee-result.reader';
export { MINDEE_PROVIDER } from './adapters/mindee/mindee-result.mapper';
export { MINDEE_SIGNATURE_HEADER, signMindeeWebhook, verifyMindeeSignature } from './adapters/mindee/webhook-signature';
export { MindeeSchemaValidator } from './adapters/mindee/mindee-schema.validator';
export { MINDEE_OPENAPI_DIR, MINDEE_OPENAPI_FILES } from './adapters/mindee/mindee-schemas';
export type { MindeeOcrResponse, MindeeJobResponse, MindeeErrorResponse } from './adapters/mindee/mindee-types';
export { ImportOcrAdapter, IMPORT_PROVIDER } from './adapters/import/import-ocr.adapter';
export { readPageSizes, type PageSizeLimits } from './adapters/import/page-sizes.reader';
