import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'recto:public';

/** Routes that answer without an API key (health, metrics, docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
