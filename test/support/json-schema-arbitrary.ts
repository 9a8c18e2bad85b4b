/**
 * fast-check arbitraries for the values a JSON Schema (2020-12, as /openapi.json writes it) calls
 * valid: what a contract fuzzer driven by the document would send. It reads only the document, not
 * the zod schemas the server checks with, so a rule the server enforces but the document does not
 * state shows up as a refused "valid" request.
 *
 * Covers what the document uses: $ref, type, enum, const, properties/required, oneOf/anyOf (as
 * alternatives, or as constraints on an object's properties), not, allOf (of patterns), items,
 * minItems/maxItems, uniqueItems, minLength/maxLength (code points), pattern, format date-time and
 * email, minimum/maximum/exclusiveMinimum, additionalProperties.
 */
import fc from 'fast-check';

export type JsonSchema = { [key: string]: unknown };

export interface ArbitraryOptions {
  /** Resolves `#/components/schemas/<name>`. */
  components: Record<string, JsonSchema>;
  /** The longest string generated (bodies stay small); the schema's own maxLength still applies. */
  maxStringLength?: number;
}

const DAY = 86_400_000;

/** Every value `schema` accepts, as far as the keywords above say. */
export function arbitraryOf(schema: JsonSchema, options: ArbitraryOptions): fc.Arbitrary<unknown> {
  const resolved = resolve(schema, options.components);
  const base = baseArbitrary(resolved, options);
  // Constraints that are not alternatives: anyOf/oneOf/not beside an object's properties.
  const isConstraintOnly = resolved.properties !== undefined && (resolved.anyOf !== undefined || resolved.not !== undefined);
  return isConstraintOnly ? base.filter((v) => satisfies(resolved, v, options.components)) : base;
}

function resolve(schema: JsonSchema, components: Record<string, JsonSchema>): JsonSchema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const name = ref.replace('#/components/schemas/', '');
  const target = components[name];
  if (!target) throw new Error(`unresolved ${ref}`);
  return resolve(target, components);
}

function baseArbitrary(schema: JsonSchema, options: ArbitraryOptions): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const alternatives = (schema.oneOf ?? (schema.properties === undefined ? schema.anyOf : undefined)) as JsonSchema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((alt) => arbitraryOf(alt, options)));
  switch (schema.type) {
    case 'object':
      return objectArbitrary(schema, options);
    case 'array':
      return arrayArbitrary(schema, options);
    case 'string':
      return stringArbitrary(schema, options);
    case 'integer':
      return fc.integer({ min: lowerBound(schema, 1), max: upperBound(schema) });
    case 'number':
      return fc.double({ min: lowerBound(schema, Number.EPSILON), max: upperBound(schema), noNaN: true });
    case 'boolean':
      return fc.boolean();
    default:
      return fc.constantFrom<unknown>(null, 0, 'x', true);
  }
}

function lowerBound(schema: JsonSchema, step: number): number {
  if (typeof schema.minimum === 'number') return schema.minimum;
  if (typeof schema.exclusiveMinimum === 'number') return schema.exclusiveMinimum + step;
  return -1_000_000;
}

function upperBound(schema: JsonSchema): number {
  if (typeof schema.maximum === 'number') return schema.maximum;
  if (typeof schema.exclusiveMaximum === 'number') return schema.exclusiveMaximum - 1;
  return 1_000_000;
}

function objectArbitrary(schema: JsonSchema, options: ArbitraryOptions): fc.Arbitrary<unknown> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  if (Object.keys(properties).length === 0 && schema.additionalProperties !== undefined) {
    // A free-form map (e.g. a policy document): small and JSON.
    return fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
  }
  const model = Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, arbitraryOf(property, options)]));
  return fc.record(model, { requiredKeys: (schema.required ?? []) as string[] });
}

function arrayArbitrary(schema: JsonSchema, options: ArbitraryOptions): fc.Arbitrary<unknown> {
  const items = arbitraryOf((schema.items ?? {}) as JsonSchema, options);
  const bounds = { minLength: (schema.minItems as number | undefined) ?? 0, maxLength: Math.min((schema.maxItems as number | undefined) ?? 5, 5) };
  return schema.uniqueItems ? fc.uniqueArray(items, { ...bounds, selector: (v) => JSON.stringify(v) }) : fc.array(items, bounds);
}

/** Units from everywhere: ASCII, white space, CJK, astral (emoji), combining marks, controls, any code point. */
const codePoint = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u3000') },
  { weight: 2, arbitrary: fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCodePoint(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0x1f300, max: 0x1faff }).map((c) => String.fromCodePoint(c)) },
  { weight: 1, arbitrary: fc.constantFrom('\u0301', '\u200d', '\ufeff', '\u0007', '\u007f') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);

function stringArbitrary(schema: JsonSchema, options: ArbitraryOptions): fc.Arbitrary<string> {
  if (schema.format === 'date-time') return instantArbitrary(schema);
  if (schema.format === 'email') return emailArbitrary().filter((s) => fitsString(schema, s));
  const min = (schema.minLength as number | undefined) ?? 0;
  const max = Math.max(min, Math.min((schema.maxLength as number | undefined) ?? 200, options.maxStringLength ?? 60));
  const pattern = typeof schema.pattern === 'string' ? new RegExp(schema.pattern, 'u') : undefined;
  let strings: fc.Arbitrary<string>;
  if (pattern && !/\(\?[=!]/.test(schema.pattern as string)) {
    // A pattern without look-ahead: fast-check generates what it matches.
    strings = fc.stringMatching(pattern);
  } else {
    const free = fc.array(codePoint, { minLength: min, maxLength: max }).map((units) => units.join(''));
    // Now and then exactly the longest the schema allows (in code points).
    const longest = typeof schema.maxLength === 'number' ? fc.constantFrom('字', '📶', 'a').map((c) => c.repeat(schema.maxLength as number)) : free;
    strings = fc.oneof({ weight: 9, arbitrary: free }, { weight: 1, arbitrary: longest });
  }
  return strings.filter((s) => fitsString(schema, s));
}

function fitsString(schema: JsonSchema, s: string): boolean {
  const length = [...s].length;
  if (typeof schema.minLength === 'number' && length < schema.minLength) return false;
  if (typeof schema.maxLength === 'number' && length > schema.maxLength) return false;
  const patterns = [schema.pattern, ...((schema.allOf ?? []) as JsonSchema[]).map((p) => p.pattern)].filter((p): p is string => typeof p === 'string');
  return patterns.every((p) => new RegExp(p, 'u').test(s));
}

/**
 * An instant as the document allows it: a date-time with an offset, within the patterns. Generated
 * within the last 20 days (receivedAt's window, stated in its description, is the narrowest), with
 * any offset the patterns allow, written with or without fractions of a second.
 */
function instantArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  const offsets = fc.oneof(
    fc.constant('Z'),
    fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45, 59)).map(([sign, h, m]) => `${sign}${pad(h)}:${pad(m)}`),
  );
  return fc
    .tuple(fc.integer({ min: -20 * DAY, max: -60_000 }), offsets, fc.boolean())
    .map(([ago, offset, millis]) => {
      const at = Date.now() + ago;
      const minutes = offset === 'Z' ? 0 : (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
      const local = new Date(at + minutes * 60_000).toISOString().slice(0, millis ? 23 : 19);
      return `${local}${offset}`;
    })
    .filter((s) => fitsString(schema, s));
}

function emailArbitrary(): fc.Arbitrary<string> {
  const atom = fc.stringMatching(/^[A-Za-z0-9_'+-]{1,20}$/);
  const label = fc.stringMatching(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,10}[A-Za-z0-9])?$/);
  return fc
    .tuple(fc.array(atom, { minLength: 1, maxLength: 4 }), fc.array(label, { minLength: 1, maxLength: 3 }), fc.stringMatching(/^[A-Za-z]{2,6}$/))
    .map(([local, domain, tld]) => `${local.join('.')}@${[...domain, tld].join('.')}`);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Whether `value` meets the object-level constraints the generator filters on (required, const, enum, anyOf, oneOf, not). */
export function satisfies(schema: JsonSchema, value: unknown, components: Record<string, JsonSchema>): boolean {
  const s = resolve(schema, components);
  if ('const' in s && JSON.stringify(s.const) !== JSON.stringify(value)) return false;
  if (Array.isArray(s.enum) && !s.enum.includes(value)) return false;
  const object = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  if (Array.isArray(s.required) && !(object && s.required.every((k: string) => k in object))) return false;
  if (s.properties && object) {
    for (const [k, p] of Object.entries(s.properties as Record<string, JsonSchema>)) {
      if (k in object && !satisfies(p, object[k], components)) return false;
    }
  }
  if (Array.isArray(s.anyOf) && !s.anyOf.some((alt: JsonSchema) => satisfies(alt, value, components))) return false;
  if (Array.isArray(s.oneOf) && s.oneOf.filter((alt: JsonSchema) => satisfies(alt, value, components)).length !== 1) return false;
  if (s.not && satisfies(s.not as JsonSchema, value, components)) return false;
  return true;
}
