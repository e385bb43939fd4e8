import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { MINDEE_SCHEMAS } from './mindee-schemas';

const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})?$/;

/** Schema-checked Mindee payloads: one compiled validator per schema name, errors as readable text. */
export class MindeeSchemaValidator {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(extraSchemas: Record<string, unknown> = {}) {
    // strict off: the published schemas carry OpenAPI annotations ajv does not know.
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    this.ajv.addFormat('uuid4', UUID4);
    // Python's pydantic writes date-times without an offset at times; the seed calls them date-time.
    this.ajv.addFormat('date-time', (value: string) => DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)));
    this.ajv.addFormat('uri', (value: string) => URL.canParse(value));
    this.ajv.addSchema({ $id: 'mindee', components: { schemas: { ...MINDEE_SCHEMAS, ...extraSchemas } } });
  }

  /** The problems of `value` against the named schema; empty when it conforms. */
  problems(name: string, value: unknown): string[] {
    let validate = this.compiled.get(name);
    if (!validate) {
      validate = this.ajv.getSchema(`mindee#/components/schemas/${name}`);
      if (!validate) throw new Error(`Unknown Mindee schema ${name}`);
      this.compiled.set(name, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).slice(0, 10).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
  }
}
