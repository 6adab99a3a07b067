import fc from 'fast-check';
import type { JsonSchema } from './openapi';

/**
 * fast-check arbitraries derived from the JSON schemas of openapi.yaml (references resolved):
 * values a schema accepts, and hostile ones — wrong types, missing and extra fields, huge and
 * tiny numbers, empty and 10 000-character strings, unicode edge cases, NUL bytes, unpaired
 * surrogates, `__proto__` / `constructor` keys, NoSQL- and SQL-looking strings — plus raw
 * bodies no serializer would write. Handles the subset of JSON Schema the document uses.
 */

export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  '\t\n',
  'x'.repeat(10_000),
  'a\u0000b',
  '\u0000',
  '\ud800',
  'x\udfff',
  '\ufeffbom',
  '\u202eevil\u202c',
  'e\u0301\u0301\u0301',
  '👩‍👩‍👧‍👦',
  '\u{10ffff}\uffff\ufffe',
  'İıßǅ',
  '𝕿𝖊𝖘𝖙',
  'ﷺ',
  '{"$gt":""}',
  '{"$ne":null}',
  '$where',
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, sent as literal text
  '${7*7}{{7*7}}',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  '__proto__',
  'constructor',
  'prototype',
  'null',
  '1e309',
  'NaN',
];

const NASTY_NUMBERS: readonly number[] = [
  0,
  -0,
  -1,
  1,
  0.5,
  1.0000001,
  1e308,
  -1e308,
  5e-324,
  -5e-324,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  1e21,
  0.1 + 0.2,
  99.99999999999999,
];

/** Values of every JSON type, and objects that look like query operators. */
const ANY_TYPE: readonly unknown[] = [null, true, false, 0, -1.5, 'text', [], {}, [null], { $gt: '' }, { $ne: null }, { $where: 'sleep(1000)' }];

/** Keys no body should carry: prototype pollution and operator injection. */
const EXTRA_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype', '$where', '$gt', 'admin', 'username', ''];

const typeOf = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value);

/** Sets `key` as an own, enumerable property, even `__proto__`, so that JSON.stringify writes it. */
function withKey(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...target };
  Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

const codePoints = (value: string) => [...value].length;

/** Values `schema` accepts (a few edge cases may still be refused by rules JSON Schema cannot state). */
export function validValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...(schema.enum as unknown[]));
  if (schema.oneOf) return fc.oneof(...(schema.oneOf as JsonSchema[]).map(validValue));
  const typed = typedValue(schema);
  return schema.examples ? fc.oneof(fc.constantFrom(...(schema.examples as unknown[])), typed) : typed;
}

function typedValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  switch (schema.type) {
    case 'string': {
      const min = schema.minLength ?? 0;
      const max = Math.min(schema.maxLength ?? 40, 40);
      const bytes = schema['x-utf8-bytes'] as { min?: number; max?: number } | undefined;
      const base = schema.pattern
        ? fc.stringMatching(new RegExp(schema.pattern as string))
        : fc.oneof(fc.string({ unit: 'grapheme-ascii', minLength: min, maxLength: max }), fc.string({ unit: 'grapheme', minLength: min, maxLength: max }));
      return base.filter((value) => {
        const length = codePoints(value);
        const size = Buffer.byteLength(value, 'utf8');
        return length >= min && length <= (schema.maxLength ?? Infinity) && size >= (bytes?.min ?? 0) && size <= (bytes?.max ?? Infinity);
      });
    }
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6 });
    case 'number': {
      const min = schema.minimum ?? schema.exclusiveMinimum ?? -1e6;
      const max = schema.maximum ?? 1e6;
      return fc.oneof(
        fc.double({ min, max, noNaN: true, noDefaultInfinity: true, minExcluded: schema.exclusiveMinimum !== undefined }),
        fc.integer({ min: Math.ceil(min * 100), max: Math.floor(max * 100) }).map((cents) => cents / 100),
      );
    }
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const minLength = schema.minItems ?? 0;
      return fc.array(validValue(schema.items as JsonSchema), { minLength, maxLength: Math.min(schema.maxItems ?? 5, minLength + 4) });
    }
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const model = Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, validValue(property)]));
      return fc.record(model, { requiredKeys: (schema.required ?? []) as string[] });
    }
    default:
      return fc.constantFrom(...ANY_TYPE);
  }
}

/** A value of another JSON type than `schema` asks for. */
function wrongType(schema: JsonSchema): fc.Arbitrary<unknown> {
  const accepts = (value: unknown) => typeOf(value) === schema.type || (schema.type === 'number' && typeOf(value) === 'integer');
  return fc.constantFrom(...ANY_TYPE.filter((value) => !accepts(value)));
}

/** Edge values of the right type: limits, limits ± 1, and the nasty lists. */
function edgeValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  switch (schema.type) {
    case 'string': {
      const lengths = [schema.minLength, schema.maxLength]
        .filter((n): n is number => n !== undefined)
        .flatMap((n) => [n - 1, n, n + 1])
        .filter((n) => n >= 0);
      return fc.constantFrom(...NASTY_STRINGS, ...lengths.map((n) => 'x'.repeat(n)), ...lengths.map((n) => 'é'.repeat(n)));
    }
    case 'integer':
    case 'number': {
      const limits = [schema.minimum, schema.maximum, schema.exclusiveMinimum].filter((n): n is number => n !== undefined);
      return fc.constantFrom(...NASTY_NUMBERS, ...limits.flatMap((n) => [n - 1, n - 0.5, n, n + 0.5, n + 1]));
    }
    default:
      return wrongType(schema);
  }
}

/** Values built to break `schema` or to sit on its edges. */
function hostileValue(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const options: Array<fc.Arbitrary<unknown>> = [wrongType(schema), edgeValue(schema)];
  if (schema.type === 'object' && depth < 3) {
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const names = Object.keys(properties);
    const valid = validValue(schema) as fc.Arbitrary<Record<string, unknown>>;
    if ((schema.required ?? []).length > 0) {
      options.push(
        fc.tuple(valid, fc.constantFrom(...(schema.required as string[]))).map(([value, name]) => {
          const { [name]: _dropped, ...rest } = value;
          return rest;
        }),
      );
    }
    options.push(fc.tuple(valid, fc.constantFrom(...EXTRA_KEYS), fc.constantFrom(...ANY_TYPE)).map(([value, key, extra]) => withKey(value, key, extra)));
    if (names.length > 0) {
      options.push(
        fc.constantFrom(...names).chain((name) => fc.tuple(valid, hostileValue(properties[name]!, depth + 1)).map(([value, bad]) => withKey(value, name, bad))),
      );
    }
  }
  if (schema.type === 'array' && depth < 3) {
    const items = schema.items as JsonSchema;
    options.push(fc.array(hostileValue(items, depth + 1), { minLength: 1, maxLength: 3 }));
    if (schema.maxItems !== undefined) options.push(fc.array(validValue(items), { minLength: schema.maxItems + 1, maxLength: schema.maxItems + 1 }));
  }
  return fc.oneof(...options);
}

/** Bodies no JSON serializer writes: broken, deep, huge, duplicated keys, out-of-range literals. */
const RAW_BODIES: readonly string[] = [
  '',
  '{',
  '{"a":',
  'null',
  'true',
  '0',
  '"text"',
  '[]',
  '\ufeff{}',
  '{"a":1,"a":2}',
  '{"x":1e400}',
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"isAdmin":true}}}',
  `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`,
  `[${'0,'.repeat(4000)}0]`,
  '['.repeat(3000),
  'x'.repeat(17_000),
  `{"a":"${'é'.repeat(9000)}"}`,
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
];

/** A JSON body for `schema`: mostly hostile, some valid, some raw. */
export function bodyText(schema: JsonSchema): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 2, arbitrary: validValue(schema).map((value) => JSON.stringify(value)) },
    { weight: 6, arbitrary: hostileValue(schema).map((value) => JSON.stringify(value) ?? 'null') },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_BODIES) },
  );
}

/** Content-Type headers: mostly JSON (in its legal spellings), sometimes not. */
export const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'Application/JSON') },
  { weight: 1, arbitrary: fc.constantFrom(undefined, 'text/plain', 'application/x-www-form-urlencoded', 'application/jsonx', 'multipart/form-data; boundary=x') },
);
