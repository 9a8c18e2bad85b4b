/**
 * A small JSON Schema (2020-12) checker for the subset zod's `toJSONSchema` writes: the workflow's
 * validators check commands with it against `generated/command-schemas.json`, so workflow code
 * carries schema data instead of zod. Pure; answers the first problem with its path, or nothing.
 * Keywords: type, enum, const, properties, required, additionalProperties, propertyNames, items,
 * minItems, maxItems, uniqueItems, minLength, maxLength, pattern, minimum, maximum,
 * exclusiveMinimum, exclusiveMaximum, multipleOf, anyOf, oneOf, allOf, not, format (date-time),
 * default (applied by `withDefaults`).
 */

/** A JSON Schema node, as generated. */
export type JsonSchema = { [keyword: string]: unknown };

export interface SchemaProblem {
  /** Dotted path of the offending value: `options.0.amountFen`; empty for the root. */
  path: string;
  message: string;
}

const patterns = new Map<string, RegExp>();

/** The first problem of `value` against `schema`, or undefined when it conforms. */
export function checkSchema(schema: JsonSchema, value: unknown, path: readonly (string | number)[] = []): SchemaProblem | undefined {
  const problem = (message: string, at: readonly (string | number)[] = path): SchemaProblem => ({ path: at.join('.'), message });
  if ('const' in schema && !deepEqual(value, schema.const)) return problem(`must be ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => deepEqual(e, value))) {
    return problem(`must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`);
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => hasType(value, t))) return problem(value === undefined ? 'is required' : `must be ${types.join(' or ')}`);
  }
  if (typeof value === 'string') {
    const length = [...value].length; // code points, as JSON Schema counts
    if (typeof schema.minLength === 'number' && length < schema.minLength) return problem(`must have at least ${schema.minLength} character(s)`);
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) return problem(`must have at most ${schema.maxLength} character(s)`);
    if (typeof schema.pattern === 'string' && !regex(schema.pattern).test(value)) return problem('has an invalid format');
    if (schema.format === 'date-time' && Number.isNaN(Date.parse(value))) return problem('must be a date-time');
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) return problem(`must be at least ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) return problem(`must be at most ${schema.maximum}`);
    if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) return problem(`must be greater than ${schema.exclusiveMinimum}`);
    if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum) return problem(`must be less than ${schema.exclusiveMaximum}`);
    if (typeof schema.multipleOf === 'number' && !Number.isInteger(value / schema.multipleOf)) return problem(`must be a multiple of ${schema.multipleOf}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) return problem(`must have at least ${schema.minItems} item(s)`);
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) return problem(`must have at most ${schema.maxItems} item(s)`);
    if (schema.uniqueItems === true && value.some((v, i) => value.findIndex((w) => deepEqual(v, w)) !== i)) return problem('must not repeat an item');
    if (isSchema(schema.items)) {
      for (let i = 0; i < value.length; i++) {
        const p = checkSchema(schema.items, value[i], [...path, i]);
        if (p) return p;
      }
    }
  }
  if (isObject(value)) {
    const properties = isObject(schema.properties) ? (schema.properties as Record<string, JsonSchema>) : {};
    for (const key of Array.isArray(schema.required) ? (schema.required as string[]) : []) {
      if (value[key] === undefined) return problem('is required', [...path, key]);
    }
    for (const [key, sub] of Object.entries(properties)) {
      if (value[key] === undefined) continue;
      const p = checkSchema(sub, value[key], [...path, key]);
      if (p) return p;
    }
    for (const key of Object.keys(value)) {
      if (key in properties) continue;
      if (schema.additionalProperties === false) return problem('is not a known field', [...path, key]);
      if (isSchema(schema.additionalProperties)) {
        const p = checkSchema(schema.additionalProperties, value[key], [...path, key]);
        if (p) return p;
      }
      if (isSchema(schema.propertyNames)) {
        const p = checkSchema(schema.propertyNames, key, [...path, key]);
        if (p) return p;
      }
    }
  }
  for (const sub of Array.isArray(schema.allOf) ? (schema.allOf as JsonSchema[]) : []) {
    const p = checkSchema(sub, value, path);
    if (p) return p;
  }
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const branches = Array.isArray(schema[keyword]) ? (schema[keyword] as JsonSchema[]) : undefined;
    if (!branches) continue;
    const problems = branches.map((b) => checkSchema(b, value, path));
    const passing = problems.filter((p) => p === undefined).length;
    if (keyword === 'oneOf' && passing > 1) return problem('matches more than one of its forms');
    if (passing === 0) return closestProblem(branches, problems as SchemaProblem[], value);
  }
  if (isSchema(schema.not) && checkSchema(schema.not, value, path) === undefined) {
    // A forbidden combination (e.g. a hand-over to the department handing over): name its last field.
    const forms = Array.isArray(schema.not.anyOf) ? (schema.not.anyOf as JsonSchema[]) : [schema.not];
    const matched = forms.find((f) => checkSchema(f, value, path) === undefined);
    const fields = matched && isObject(matched.properties) ? Object.keys(matched.properties) : [];
    return fields.length ? problem('is not allowed in this combination', [...path, fields.at(-1)!]) : problem('is not allowed here');
  }
  return undefined;
}

/** `value` with the schema's defaults filled in where a property is missing (as zod's parse would). */
export function withDefaults<T>(schema: JsonSchema, value: T): T {
  if (value === undefined && 'default' in schema) return JSON.parse(JSON.stringify(schema.default)) as T;
  if (isObject(value) && isObject(schema.properties)) {
    const out: Record<string, unknown> = { ...value };
    for (const [key, sub] of Object.entries(schema.properties as Record<string, JsonSchema>)) {
      const filled = withDefaults(sub, out[key]);
      if (filled !== undefined) out[key] = filled;
    }
    return out as T;
  }
  if (Array.isArray(value) && isSchema(schema.items)) return value.map((v) => withDefaults(schema.items as JsonSchema, v)) as T;
  return value;
}

/** Of several failing forms, the one the value meant: the form whose constants it matches, else the deepest problem. */
function closestProblem(branches: JsonSchema[], problems: SchemaProblem[], value: unknown): SchemaProblem {
  if (isObject(value)) {
    const meant = branches.findIndex((b) => {
      const props = isObject(b.properties) ? (b.properties as Record<string, JsonSchema>) : {};
      const consts = Object.entries(props).filter(([, s]) => 'const' in s);
      return consts.length > 0 && consts.every(([k, s]) => deepEqual(value[k], s.const));
    });
    if (meant >= 0) return problems[meant]!;
  }
  return problems.reduce((a, b) => (b.path.split('.').length > a.path.split('.').length ? b : a));
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
    default:
      return false;
  }
}

function regex(source: string): RegExp {
  let r = patterns.get(source);
  if (!r) patterns.set(source, (r = new RegExp(source)));
  return r;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isSchema(x: unknown): x is JsonSchema {
  return isObject(x);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
