import { classifyFailure } from './failure-kind';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });
const wrapped = (code: string) =>
  Object.assign(new Error('query failed'), { name: 'QueryFailedError', driverError: { code } });

describe('classifyFailure', () => {
  it.each([
    ['57P01 admin shutdown', pgError('57P01')],
    ['08006 connection failure', pgError('08006')],
    ['40001 serialization failure (wrapped)', wrapped('40001')],
    ['40P01 deadlock', pgError('40P01')],
    ['53300 too many connections', pgError('53300')],
    ['a lost connection', new Error('Connection terminated unexpectedly')],
    ['an exhausted pool', new Error('timeout exceeded when trying to connect')],
    ['a refused socket', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
  ])('%s is transient', (_name, err) => expect(classifyFailure(err)).toBe('transient'));

  it.each([
    ['22003 numeric field overflow', wrapped('22003')],
    ['22008 date out of range', pgError('22008')],
    ['22021 null byte in text', pgError('22021')],
    ['23514 check violation', wrapped('23514')],
  ])('%s is poison', (_name, err) => expect(classifyFailure(err)).toBe('poison'));

  it.each([
    ['a plain error', new Error('probe always fails')],
    ['42P01 undefined table', pgError('42P01')],
    ['57014 statement timeout', pgError('57014')],
    ['a string', 'boom'],
  ])('%s is unknown', (_name, err) => expect(classifyFailure(err)).toBe('unknown'));
});
