export * from './ocr-result';
export * from './ocr-provider.interface';
export { LocalOcrAdapter } from './adapters/local/local-ocr.adapter';
export {
  DEFAULT_LOCAL_OCR_OPTIONS,
  type LocalOcrOptions,
  type TesseractModel,
} from './adapters/local/local-ocr.options';
export { installedLanguages } from './adapters/local/tesseract-languages';
export { OcrModule, LOCAL_OCR_OPTIONS } from './ocr.module';
export * from './rendering/page-image.renderer';
