/**
 * A PostgreSQL text[] literal ('{"a","b"}') for a parameter cast in SQL (`$1::text[]`,
 * `$2::date[]`). Same output as node-postgres's own array serialisation, about twice as fast on
 * the 40,000 values of a 5,000-card batch: most values need no escaping, so they are tested
 * once instead of being run through two replacements each.
 */
export function textArrayLiteral(values: ReadonlyArray<string | null | undefined>): string {
  let out = '{';
  for (let i = 0; i < values.length; i += 1) {
    if (i > 0) out += ',';
    const v = values[i];
    if (v === null || v === undefined) out += 'NULL';
    else out += `"${NEEDS_ESCAPE.test(v) ? v.replace(ESCAPED, '\\$&') : v}"`;
  }
  return `${out}}`;
}

const NEEDS_ESCAPE = /[\\"]/;
const ESCAPED = /[\\"]/g;
