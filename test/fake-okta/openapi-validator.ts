import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// A small JSON-schema checker for the OpenAPI 3.0 subset Okta's spec uses in responses:
// $ref, type (+ nullable), required, enum, properties, additionalProperties, items, allOf,
// oneOf/anyOf, discriminator mappings, min/maxLength and date-time. Errors name the JSON path
// and the nearest named schema, so a test can tolerate a known quirk by pattern.

type Schema = Record<string, unknown>;

export interface OpenApiSpec {
  paths: Record<string, Record<string, Schema>>;
  components: { schemas: Record<string, Schema>; responses: Record<string, Schema> };
}

// Okta's OpenAPI description, vendored with its NOTICE under test/data (OKTA_OPENAPI_SPEC overrides it).
export const DEFAULT_SPEC_PATH = resolve(__dirname, '../data/okta-openapi/management.yaml');

export function loadSpec(path: string = process.env.OKTA_OPENAPI_SPEC ?? DEFAULT_SPEC_PATH): OpenApiSpec {
  // js-yaml ships no types.
  const yaml = require('js-yaml') as { load(text: string): unknown };
  return yaml.load(readFileSync(path, 'utf8')) as OpenApiSpec;
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function typeOk(type: string, value: unknown): boolean {
  switch (type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return true;
  }
}

export class SchemaValidator {
  constructor(private readonly spec: OpenApiSpec) {}

  /** The schema a `$ref` points at, with its short name. */
  deref(schema: Schema): { schema: Schema; name: string | null } {
    let current = schema;
    let name: string | null = null;
    for (let hops = 0; typeof current.$ref === 'string' && hops < 20; hops++) {
      const ref = current.$ref as string;
      const parts = ref.replace(/^#\//, '').split('/');
      name = parts[parts.length - 1];
      let target: unknown = this.spec;
      for (const p of parts) target = (target as Record<string, unknown>)[p];
      if (!target) throw new Error(`unresolved $ref ${ref}`);
      current = target as Schema;
    }
    return { schema: current, name };
  }

  schemaByName(name: string): Schema {
    return { $ref: `#/components/schemas/${name}` };
  }

  validate(schema: Schema, value: unknown, path = '$', context = 'response'): string[] {
    return this.check(schema, value, path, context, new Set());
  }

  /** Declared properties of a schema and its allOf parts; `open` when extra keys are allowed. */
  private declared(schema: Schema, seen = new Set<Schema>()): { props: Set<string>; open: boolean } {
    const { schema: s } = this.deref(schema);
    if (seen.has(s)) return { props: new Set(), open: false };
    seen.add(s);
    const props = new Set(Object.keys((s.properties as Schema) ?? {}));
    let open = s.additionalProperties !== undefined && s.additionalProperties !== false;
    if (s.oneOf || s.anyOf) open = true;
    for (const part of (s.allOf as Schema[]) ?? []) {
      const inner = this.declared(part, seen);
      for (const p of inner.props) props.add(p);
      open ||= inner.open;
    }
    return { props, open };
  }

  private check(
    schema: Schema,
    value: unknown,
    path: string,
    context: string,
    skipDiscriminators: Set<Schema>,
    checkUnknownKeys = true,
  ): string[] {
    const { schema: s, name } = this.deref(schema);
    const where = name ?? context;
    const errors: string[] = [];

    if (value === null) {
      if (s.nullable === true || (!s.type && !s.allOf && !s.oneOf && !s.anyOf)) return [];
      return [`${path}: null is not allowed in ${where}`];
    }

    // A discriminator picks the subtype, which usually is allOf [this schema, its own part].
    const disc = s.discriminator as { propertyName: string; mapping?: Record<string, string> } | undefined;
    if (disc?.mapping && !skipDiscriminators.has(s) && typeof value === 'object' && value !== null) {
      const key = (value as Record<string, unknown>)[disc.propertyName];
      const target = typeof key === 'string' ? disc.mapping[key] : undefined;
      if (target) {
        return this.check({ $ref: target }, value, path, where, new Set([...skipDiscriminators, s]));
      }
    }

    if (typeof s.type === 'string' && !typeOk(s.type, value)) {
      return [`${path}: expected ${s.type} in ${where}, got ${Array.isArray(value) ? 'array' : typeof value}`];
    }
    if (Array.isArray(s.enum) && !s.enum.includes(value)) {
      errors.push(`${path}: ${JSON.stringify(value)} is not one of the enum values of ${where}`);
    }
    if (typeof value === 'string') {
      if (typeof s.minLength === 'number' && value.length < s.minLength)
        errors.push(`${path}: shorter than ${s.minLength} in ${where}`);
      if (typeof s.maxLength === 'number' && value.length > s.maxLength)
        errors.push(`${path}: longer than ${s.maxLength} in ${where}`);
      if (s.format === 'date-time' && !ISO_DATE_TIME.test(value)) errors.push(`${path}: not a date-time in ${where}`);
    }

    // allOf parts describe only part of the object: unknown keys are judged on the whole below.
    for (const part of (s.allOf as Schema[]) ?? []) {
      errors.push(...this.check(part, value, path, where, skipDiscriminators, false));
    }
    const alternatives = (s.oneOf ?? s.anyOf) as Schema[] | undefined;
    if (alternatives) {
      const results = alternatives.map((alt) => this.check(alt, value, path, where, skipDiscriminators));
      if (!results.some((r) => r.length === 0)) {
        const best = results.reduce((a, b) => (b.length < a.length ? b : a));
        errors.push(`${path}: matches none of the alternatives of ${where} (closest: ${best.join('; ')})`);
      }
    }

    if (Array.isArray(value) && s.items) {
      value.forEach((item, i) => {
        errors.push(...this.check(s.items as Schema, item, `${path}[${i}]`, where, skipDiscriminators));
      });
    }

    if (typeOk('object', value) && (s.properties || s.required || s.additionalProperties !== undefined)) {
      const obj = value as Record<string, unknown>;
      for (const req of (s.required as string[]) ?? []) {
        if (!(req in obj)) errors.push(`${path}: missing required ${req} in ${where}`);
      }
      const props = (s.properties as Record<string, Schema>) ?? {};
      for (const [key, v] of Object.entries(obj)) {
        if (props[key]) {
          errors.push(...this.check(props[key], v, `${path}.${key}`, where, skipDiscriminators));
        } else if (typeof s.additionalProperties === 'object' && s.additionalProperties !== null) {
          errors.push(...this.check(s.additionalProperties as Schema, v, `${path}.${key}`, where, skipDiscriminators));
        }
      }
    }
    // Unknown keys: only where the schema (with its allOf parts) is closed.
    if (checkUnknownKeys && typeOk('object', value)) {
      const { props: known, open } = this.declared(schema);
      if (!open && known.size > 0) {
        for (const key of Object.keys(value as object)) {
          if (!known.has(key)) errors.push(`${path}.${key}: not a property of ${where}`);
        }
      }
    }
    return errors;
  }

  /** The 2xx (or given status) JSON response schema of an operation, by concrete request path. */
  responseSchema(method: string, requestPath: string, status = 200): Schema {
    const template = this.pathTemplate(requestPath);
    const op = this.spec.paths[template]?.[method.toLowerCase()] as Schema | undefined;
    if (!op) throw new Error(`the spec has no ${method} ${template}`);
    const responses = op.responses as Record<string, Schema>;
    const response = responses[String(status)] ?? responses.default;
    if (!response) throw new Error(`the spec has no ${status} response for ${method} ${template}`);
    const { schema: resolved } = this.deref(response);
    const content = resolved.content as Record<string, { schema: Schema }> | undefined;
    const json = content?.['application/json'];
    if (!json) throw new Error(`the spec has no JSON ${status} body for ${method} ${template}`);
    return json.schema;
  }

  /** The spec's path template for a concrete path; literal segments win over parameters. */
  pathTemplate(requestPath: string): string {
    const segments = requestPath.split('/');
    let best: { template: string; score: number } | null = null;
    for (const template of Object.keys(this.spec.paths)) {
      const parts = template.split('/');
      if (parts.length !== segments.length) continue;
      let score = 0;
      const fits = parts.every((p, i) => {
        if (/^\{.+\}$/.test(p)) return true;
        score++;
        return p === segments[i];
      });
      if (fits && (!best || score > best.score)) best = { template, score };
    }
    if (!best) throw new Error(`no spec path matches ${requestPath}`);
    return best.template;
  }
}
