export { createRectoClient, unwrap, type RectoClient, type RectoClientOptions } from './recto.client';
export { ApiRequestError } from './api-request.error';
export { uploadDocument, type DocumentUpload } from './document-upload';
export type { paths, components, operations } from './recto-api.schema';
import type { components } from './recto-api.schema';

/** The resources, as the API returns them. */
export type Schemas = components['schemas'];
