import 'reflect-metadata';
import { ApiConfig } from './api.config';
import { ConfigValidationError, validateConfig } from './validate-config';
import { WorkerConfig } from './worker.config';

describe('validateConfig', () => {
  it('applies the documented defaults', () => {
    const config = validateConfig(WorkerConfig, {});
    expect(config).toMatchObject({
      REDIS_URL: 'redis://127.0.0.1:6379',
      DATA_DIR: './data',
      OCR_PROVIDER: 'local',
      OCR_LANGUAGES: ['eng'],
      OCR_MAX_PAGES: 200,
      MAX_UPLOAD_BYTES: 104857600,
      MINDEE_BASE_URL: 'https://api-v2.mindee.net',
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(validateConfig(ApiConfig, {}).PORT).toBe(3000);
  });

  it('parses lists and numbers', () => {
    const config = validateConfig(WorkerConfig, { OCR_LANGUAGES: 'eng+deu,fra', OCR_CONCURRENCY: '3' });
    expect(config.OCR_LANGUAGES).toEqual(['eng', 'deu', 'fra']);
    expect(config.OCR_CONCURRENCY).toBe(3);
  });

  it('lists every bad key at once and never echoes secrets', () => {
    let error: ConfigValidationError | undefined;
    try {
      validateConfig(ApiConfig, { PORT: 'abc', REDIS_URL: 'http://x', API_KEYS: 'short:x', OCR_PROVIDER: 'cloud' });
    } catch (e) {
      error = e as ConfigValidationError;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect(error!.problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'API_KEYS',
      'OCR_PROVIDER',
      'PORT',
      'REDIS_URL',
    ]);
    expect(error!.message).not.toContain('short');
    expect(error!.message).toContain('"abc"');
  });

  it('wants a direct Postgres URL behind a transaction pooler, and knows no other pooler', () => {
    expect(validateConfig(ApiConfig, {}).DATABASE_POOLER).toBe('none');
    const problems = (env: Record<string, string>) => {
      try {
        validateConfig(ApiConfig, env);
        return [];
      } catch (e) {
        return (e as ConfigValidationError).problems.map((p) => p.split(':')[0]);
      }
    };
    expect(problems({ DATABASE_POOLER: 'pgbouncer-transaction' })).toEqual(['DATABASE_DIRECT_URL']);
    expect(problems({ DATABASE_POOLER: 'pgbouncer-session' })).toEqual(['DATABASE_POOLER']);
    expect(problems({ DATABASE_DIRECT_URL: 'http://x' })).toEqual(['DATABASE_DIRECT_URL']);
    expect(
      problems({ DATABASE_POOLER: 'pgbouncer-transaction', DATABASE_DIRECT_URL: 'postgres://postgres@db:5432/recto' }),
    ).toEqual([]);
  });
});
