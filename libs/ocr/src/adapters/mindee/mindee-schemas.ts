import { join } from 'node:path';
import enqueue from './openapi/enqueue.openapi.json';
import jobStatus from './openapi/job-status.openapi.json';
import ocrResult from './openapi/ocr-result.openapi.json';

/** Mindee API v2's published OpenAPI documents for the OCR utility, vendored unchanged. */
export const MINDEE_OPENAPI_DIR = join(__dirname, 'openapi');
export const MINDEE_OPENAPI_FILES = ['enqueue.openapi.json', 'job-status.openapi.json', 'ocr-result.openapi.json'];

/** The response schemas of the enqueue, job-status and ocr-result endpoints (`components.schemas`). */
export const MINDEE_SCHEMAS = {
  ...enqueue.components.schemas,
  ...jobStatus.components.schemas,
  ...ocrResult.components.schemas,
};
