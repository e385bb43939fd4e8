import { SetMetadata } from '@nestjs/common';

export const IIIF_LINK = 'recto:iiif-link';

/**
 * Routes also reachable through a signed IIIF link (`/v1/iiif/<token>/<id>/…`): when the path has
 * a token, it, not an API key, says which tenant is reading.
 */
export const IiifLinkRoute = () => SetMetadata(IIIF_LINK, true);
