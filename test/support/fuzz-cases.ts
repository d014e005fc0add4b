/**
 * Malformed requests for every operation of an OpenAPI document: bodies built from the operation's
 * schema and then broken one field at a time, path and query values, and whole bodies no route
 * takes. Deterministic: every choice comes from a seeded generator.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: Json[];
  example?: Json;
  default?: Json;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  oneOf?: Schema[];
  allOf?: Schema[];
  anyOf?: Schema[];
  nullable?: boolean;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

export interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  'x-roles'?: string[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/** mulberry32: a small seeded generator, the same sequence on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` items of `list`, chosen by `random`, in their original order. */
export function sample<T>(list: readonly T[], count: number, random: () => number): T[] {
  if (list.length <= count) return [...list];
  const indexed = list.map((item, i) => ({ item, i, key: random() }));
  return indexed
    .sort((a, b) => a.key - b.key)
    .slice(0, count)
    .sort((a, b) => a.i - b.i)
    .map((x) => x.item);
}

export function resolveSchema(doc: OpenApiDocument, schema: Schema | undefined): Schema {
  let s = schema ?? {};
  for (let guard = 0; s.$ref && guard < 20; guard += 1)
    s = doc.components?.schemas?.[s.$ref.replace('#/components/schemas/', '')] ?? {};
  if (s.allOf)
    return s.allOf.reduce<Schema>((acc, part) => {
      const r = resolveSchema(doc, part);
      return {
        ...acc,
        ...r,
        properties: { ...(acc.properties ?? {}), ...(r.properties ?? {}) },
        required: [...(acc.required ?? []), ...(r.required ?? [])],
      };
    }, {});
  return s;
}

/** A plausible value of a schema: its example, default or first enum value, else one made up from its type. */
export function exampleOf(doc: OpenApiDocument, schema: Schema | undefined, depth = 0): Json {
  const s = resolveSchema(doc, schema);
  if (s.oneOf?.length) return exampleOf(doc, s.oneOf[0], depth);
  if (s.anyOf?.length) return exampleOf(doc, s.anyOf[0], depth);
  if (s.example !== undefined) return s.example;
  if (s.enum?.length) return s.enum[0];
  if (s.default !== undefined) return s.default;
  if (s.type === 'array' || s.items) return depth > 4 ? [] : [exampleOf(doc, s.items, depth + 1)];
  if (s.type === 'object' || s.properties) {
    const out: Record<string, Json> = {};
    if (depth > 4) return out;
    for (const [name, prop] of Object.entries(s.properties ?? {})) out[name] = exampleOf(doc, prop, depth + 1);
    return out;
  }
  if (s.type === 'integer' || s.type === 'number') return 1;
  if (s.type === 'boolean') return false;
  return s.format === 'uuid' ? '00000000-0000-4000-8000-000000000000' : 'x';
}

type PathStep = string | number;

/** Every value of a JSON body with its path, containers included (the body itself has path []). */
export function valuesOf(body: Json, path: PathStep[] = []): Array<{ path: PathStep[]; value: Json }> {
  const out = [{ path, value: body }];
  if (Array.isArray(body)) body.slice(0, 1).forEach((v, i) => out.push(...valuesOf(v, [...path, i])));
  else if (body !== null && typeof body === 'object')
    for (const [k, v] of Object.entries(body)) out.push(...valuesOf(v, [...path, k]));
  return out;
}

function withValue(body: Json, path: PathStep[], value: Json | undefined): Json {
  if (path.length === 0) return value === undefined ? null : value;
  const copy: Json = Array.isArray(body) ? [...body] : { ...(body as Record<string, Json>) };
  const [head, ...rest] = path;
  const child = (copy as Record<string, Json>)[head as string];
  if (rest.length === 0) {
    if (value === undefined) {
      if (Array.isArray(copy)) copy.splice(head as number, 1);
      else delete (copy as Record<string, Json>)[head as string];
    } else (copy as Record<string, Json>)[head as string] = value;
  } else (copy as Record<string, Json>)[head as string] = withValue(child, rest, value);
  return copy;
}

const MONTHS = ['0000-01', '2026-13', '2100-01', '1999-12', '2026-1'];
const DATES = ['0000-01-01', '2026-02-30', '2100-01-01', '1999-12-31', '2026-1-1', '2026-02-28T25:00:00Z'];
const QUARTERS = ['0000-Q1', '2026-Q5', '2100-Q1', '2026Q1'];
const MONEY = ['9999999999.99', '10000000000.00', '999999999999.99', ' 12.50', '12.345', '-1.00', '1e3', 12345];
const COUNTS = [-1, 0, 1.5, 1_000_000, 1_000_001, 2 ** 31, 2 ** 53 + 2, 1e308];
const IDENTIFIERS = ['X../../HEALTH', 'a b', 'x'.repeat(300), 'Ω', '../..', '\t'];
const WRONG_TYPES: Json[] = [12, 'text', true, {}, [], null];

/** Field values at and beyond the limits of the domain, by what the field holds (its name and example). */
function limitValues(name: string, example: Json): Json[] {
  if (
    typeof example === 'number' ||
    /quantity|count|units|surveyed|satisfied|callbacks|lineNo|limit|days|version|multiple|streak|dueDay|months/i.test(
      name,
    )
  )
    return COUNTS;
  if (typeof example !== 'string') return [];
  if (/^\d{4}-Q\d$/.test(example) || /quarter/i.test(name)) return QUARTERS;
  if (/^\d{4}-\d{2}$/.test(example) || /month/i.test(name)) return MONTHS;
  if (/^\d{4}-\d{2}-\d{2}/.test(example) || /date/i.test(name) || /On$|^from$|^to$|^effectiveFrom$/.test(name))
    return DATES;
  if (/^-?\d+(\.\d+)?$/.test(example) || /amount|price|rate|freight|penalty|percent/i.test(name)) return MONEY;
  if (/code|model|partNo|serial|outlet|reference|dealer|kind/i.test(name)) return IDENTIFIERS;
  return [];
}

export interface BodyCase {
  label: string;
  /** Raw request body text; undefined sends none. */
  body?: string;
  contentType?: string;
}

const json = (value: Json | undefined): string | undefined => (value === undefined ? undefined : JSON.stringify(value));

function nested(levels: number): string {
  return `{"x":${'['.repeat(levels)}${']'.repeat(levels)}}`;
}

/**
 * Bodies for an operation that takes one: whole bodies of the wrong shape, then for a sample of
 * its fields a wrong type, a missing value, an overlong or NUL-bearing string and values at and
 * beyond the domain's limits.
 */
export function bodyCases(
  doc: OpenApiDocument,
  op: Operation,
  random: () => number,
  fieldsPerBody = 12,
  validBody?: Json,
): BodyCase[] {
  const content = op.requestBody?.content ?? {};
  const cases: BodyCase[] = [];
  if (content['multipart/form-data']) {
    const boundary = 'FUZZ';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="sales.csv"\r\nContent-Type: text/csv\r\n\r\n`;
    cases.push(
      {
        label: 'multipart without its closing boundary',
        contentType: `multipart/form-data; boundary=${boundary}`,
        body: `${head}model,units\r\nEB-100,1\r\n`,
      },
      {
        label: 'multipart without a boundary',
        contentType: 'multipart/form-data',
        body: `${head}x\r\n--${boundary}--\r\n`,
      },
      {
        label: 'multipart with a NUL in a file',
        contentType: `multipart/form-data; boundary=${boundary}`,
        body: `${head}outlet,model,units,amount\r\nD001,EB\u0000,1,1.00\r\n--${boundary}--\r\n`,
      },
      {
        label: 'multipart boundary of 300 characters',
        contentType: `multipart/form-data; boundary=${'b'.repeat(300)}`,
        body: `--${'b'.repeat(300)}--\r\n`,
      },
    );
  }
  if (content['text/csv']) {
    cases.push(
      { label: 'csv with a NUL', contentType: 'text/csv', body: 'reference,dealerCode\nA\u0000,D001\n' },
      { label: 'csv unterminated quote', contentType: 'text/csv', body: 'reference,dealerCode\n"A,D001\n' },
    );
  }
  const jsonSchema = content['application/json']?.schema;
  if (!jsonSchema && !content['text/csv'] && !content['multipart/form-data']) return cases;
  const base = validBody ?? (jsonSchema ? exampleOf(doc, jsonSchema) : {});
  cases.push(
    { label: 'body null', body: 'null', contentType: 'application/json' },
    { label: 'body []', body: '[]', contentType: 'application/json' },
    { label: 'body [base]', body: json([base]), contentType: 'application/json' },
    { label: 'body string', body: '"text"', contentType: 'application/json' },
    { label: 'body number', body: '12', contentType: 'application/json' },
    { label: 'body {}', body: '{}', contentType: 'application/json' },
    { label: 'body malformed JSON', body: '{"a":', contentType: 'application/json' },
    { label: 'body empty', body: '', contentType: 'application/json' },
    { label: 'body nested 5,000 levels', body: nested(5000), contentType: 'application/json' },
    {
      label: 'body with NUL in a new property',
      body: json({ ...(typeof base === 'object' && base && !Array.isArray(base) ? base : {}), note: 'a\u0000b' }),
      contentType: 'application/json',
    },
    { label: 'body text/plain', body: json(base), contentType: 'text/plain' },
    {
      label: 'body array of 50,000',
      body: json(Array.from({ length: 50_000 }, () => 1)),
      contentType: 'application/json',
    },
  );
  if (base !== null && typeof base === 'object' && !Array.isArray(base)) {
    cases.push({
      label: 'body with an extra property',
      body: json({ ...base, unexpected: 1 }),
      contentType: 'application/json',
    });
  }
  const fields = valuesOf(base).filter((f) => f.path.length > 0);
  for (const { path, value } of sample(fields, fieldsPerBody, random)) {
    const name = String([...path].reverse().find((p) => typeof p === 'string') ?? 'value');
    const at = path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
    const put = (label: string, v: Json | undefined) =>
      cases.push({ label: `${at} ${label}`, body: json(withValue(base, path, v)), contentType: 'application/json' });
    put('missing', undefined);
    for (const wrong of sample(
      WRONG_TYPES.filter((w) => typeof w !== typeof value || Array.isArray(w) !== Array.isArray(value)),
      3,
      random,
    ))
      put(`as ${JSON.stringify(wrong)}`, wrong);
    if (Array.isArray(value)) {
      put(
        '5,001 items',
        Array.from({ length: 5_001 }, () => value[0] ?? 1),
      );
      put('[] empty', []);
      continue;
    }
    if (value !== null && typeof value === 'object') continue;
    put('with NUL', typeof value === 'string' ? `${value}\u0000` : '\u0000');
    put('100,000 characters', 'x'.repeat(100_000));
    for (const v of limitValues(name, value)) put(`= ${JSON.stringify(v)}`, v);
  }
  return cases;
}

/** Values of a path parameter, already as they appear in the URL. */
export function pathValues(name: string): Array<{ label: string; raw: string }> {
  const byName: Record<string, string[]> = {
    month: ['0000-01', '2026-13', '2100-01', '2026-1'],
    quarter: ['0000-Q1', '2026-Q5', '2100-Q4', '2026Q1'],
    id: ['not-a-uuid', '00000000-0000-0000-0000-000000000000', '0'.repeat(40)],
    code: ['d001', 'X%2F..%2F..', 'A'.repeat(200)],
    model: ['X..%2F..%2FHEALTH', 'eb%20100', 'M'.repeat(100)],
    partNo: ['X..%2F..%2FHEALTH', 'P%20Q', 'P'.repeat(100)],
    serial: ['S%2F1', 's', 'S'.repeat(100)],
    reference: ['..%2F..', 'R'.repeat(200)],
    part: ['nope', '..'],
  };
  return [
    { label: 'NUL', raw: 'A%00B' },
    { label: 'only NUL', raw: '%00' },
    { label: 'malformed percent-encoding', raw: '%E0%A4%A' },
    { label: 'bad UTF-8 bytes', raw: '%C0%80' },
    { label: '5,000 characters', raw: 'x'.repeat(5000) },
    { label: 'SQL', raw: encodeURIComponent("'; DROP TABLE dealers;--") },
    ...(byName[name] ?? ['x']).map((raw) => ({ label: `= ${raw.slice(0, 24)}`, raw })),
  ];
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** Query strings (without '?') that break one parameter, plus an unknown parameter. */
export function queryValues(param: Parameter): Array<{ label: string; query: string }> {
  const n = param.name;
  const q = (v: string) => `${encodeURIComponent(n)}=${v}`;
  const values: string[] = ['A%00B', '%E0%A4%A', 'x'.repeat(3000), '', '-1', '1e309', '99999999999999999999'];
  if (/month/i.test(n)) values.push(...MONTHS);
  if (/quarter|period/i.test(n)) values.push(...QUARTERS, ...MONTHS.slice(0, 2));
  if (/^(from|to|on)$/i.test(n)) values.push(...DATES.map(encodeURIComponent));
  if (n === 'limit') values.push('0', '501', '1.5', 'abc');
  if (n === 'cursor')
    values.push(
      'bad!',
      b64('k:' + '9'.repeat(40)),
      b64('k:\u0000'),
      b64('k:2026-13-45|1'),
      b64('a:99999999999999999999'),
      b64('k:x|not-a-uuid'),
      b64("k:2026-01-01|1'"),
    );
  return [
    ...values.map((v) => ({ label: `${n}=${decodeSafe(v).slice(0, 24)}`, query: q(v) })),
    { label: `${n} twice`, query: `${q('a')}&${q('b')}` },
    { label: `${n}[] as array`, query: `${encodeURIComponent(n)}[]=1` },
  ];
}

function decodeSafe(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}
