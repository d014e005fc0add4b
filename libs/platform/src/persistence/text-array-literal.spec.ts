import { textArrayLiteral } from './text-array-literal';

// node-postgres's own parameter serialisation (untyped internal module).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- pg/lib/utils has no typings
const { prepareValue } = require('pg/lib/utils') as { prepareValue: (value: unknown) => unknown };

describe('textArrayLiteral', () => {
  it('writes what node-postgres writes for the same array, escapes included', () => {
    const values = [
      'EB-100',
      '',
      'a"b',
      'back\\slash',
      '{braces},comma',
      ' spaced ',
      'NULL',
      '浙江省杭州市西湖区文三路1号',
      '\\"',
      null,
    ];
    expect(textArrayLiteral(values)).toBe(prepareValue(values));
    expect(textArrayLiteral([])).toBe('{}');
  });
});
