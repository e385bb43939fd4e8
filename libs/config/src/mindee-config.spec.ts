import { ConfigValidationError, validateConfig } from './validate-config';
import { WorkerConfig } from './worker.config';

describe('WorkerConfig with Mindee', () => {
  it('refuses OCR_PROVIDER=mindee without key and model, naming both at once', () => {
    let error: unknown;
    try {
      validateConfig(WorkerConfig, { OCR_PROVIDER: 'mindee' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const problems = (error as ConfigValidationError).problems.join('\n');
    expect(problems).toMatch(/MINDEE_API_KEY: is required when OCR_PROVIDER=mindee/);
    expect(problems).toMatch(/MINDEE_MODEL_ID: is required when OCR_PROVIDER=mindee/);
  });

  it('accepts key, model and webhook ids, and keeps the local default without them', () => {
    const config = validateConfig(WorkerConfig, {
      OCR_PROVIDER: 'mindee',
      MINDEE_API_KEY: 'md_key',
      MINDEE_MODEL_ID: '9c1b6f50-0b4c-4d5f-9a4e-2f4b7b0c1a11',
      MINDEE_WEBHOOK_IDS: '1c1b6f50-0b4c-4d5f-9a4e-2f4b7b0c1a11, 2c1b6f50-0b4c-4d5f-9a4e-2f4b7b0c1a11',
    });
    expect(config.MINDEE_WEBHOOK_IDS).toHaveLength(2);
    expect(config.MINDEE_POLL_INTERVAL_MS).toBe(1500);
    expect(config.MINDEE_MAX_WAIT_MS).toBe(590_000);
    expect(validateConfig(WorkerConfig, {}).MINDEE_API_KEY).toBeUndefined();
  });
});
