import { Expose } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';

/** Where the test suites find real services; `npm test` fills these in (see scripts/run-tests.ts). */
export class TestConfig {
  /** A server URL whose user may create databases; each suite makes its own database there. */
  @Expose()
  @Matches(/^postgres(ql)?:\/\/\S+$/)
  RECTO_TEST_DATABASE_URL: string = 'postgres://postgres@127.0.0.1:5432/postgres';

  @Expose()
  @Matches(/^rediss?:\/\/\S+$/)
  RECTO_TEST_REDIS_URL: string = 'redis://127.0.0.1:6379';

  /** Unset: suites that need Meilisearch start an embedded one. */
  @Expose()
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/)
  RECTO_TEST_MEILI_URL?: string;

  @Expose()
  @IsOptional()
  @IsString()
  RECTO_TEST_MEILI_KEY?: string;

  /** Where the dev scans with ground truth live. */
  @Expose()
  @IsString()
  RECTO_TEST_SCANS_DIR: string = '../shared/data/scans-dev';

  /** Where the real ALTO / hOCR / PAGE files (and images beside some) of digitisation projects live. */
  @Expose()
  @IsString()
  RECTO_TEST_OCR_FILES_DIR: string = '../shared/data/ocr-formats-dev';

  /** The local OCR engine of the real-OCR int specs (OCR_LOCAL_ENGINE's values): run them with each. */
  @Expose()
  @IsIn(['auto', 'wasm', 'native'])
  RECTO_TEST_OCR_ENGINE: 'auto' | 'wasm' | 'native' = 'auto';
}
