import { Module } from '@nestjs/common';
import { DocumentIndexer } from './document-indexer.service';
import { OcrCompletionService } from './ocr-completion.service';
import { PlacedOcrService } from './placed-ocr.service';

/**
 * Storing an OCR result and indexing it, for both sides (the worker's OCR job, the API's provider
 * webhook): one registration, so both get the same service with the same indexer.
 */
@Module({
  providers: [DocumentIndexer, OcrCompletionService, PlacedOcrService],
  exports: [DocumentIndexer, OcrCompletionService],
})
export class OcrCompletionModule {}
