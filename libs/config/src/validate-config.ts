import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

/** Values of these keys never appear in error messages or logs. */
const SECRET_KEY = /KEY|SECRET|PASSWORD|TOKEN|_URL$/;

/**
 * Turns raw environment strings into a typed, validated config object. All bad keys are
 * reported at once so that an operator fixes them in one go.
 */
export function validateConfig<T extends object>(schema: new () => T, env: Record<string, string | undefined>): T {
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const config = plainToInstance(schema, raw, { enableImplicitConversion: false, exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    throw new ConfigValidationError(
      errors.map(
        (e) =>
          `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')} ` +
          (SECRET_KEY.test(e.property) ? '(value hidden)' : `(got ${JSON.stringify(e.value)})`),
      ),
    );
  }
  return config;
}

/** The one reader of process.env: every other module gets its settings from a validated schema. */
export function loadConfig<T extends object>(schema: new () => T): T {
  return validateConfig(schema, process.env);
}

/** Whether a variable was given at all (a schema's default cannot tell "unset" from "set to the default"). */
export function isSetInEnvironment(key: string): boolean {
  return (process.env[key] ?? '') !== '';
}
