import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { toProblem } from '../problem/problem-details.filter';
import { DatabaseConnectionLostError, isDatabaseUnavailable } from './database-errors';

function serverError(code: string, message: string, severity = 'ERROR'): DatabaseError {
  const err = new DatabaseError(message, message.length, 'error');
  err.code = code;
  err.severity = severity;
  return err;
}

const viaTypeorm = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);

function errnoError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, errno: -111, syscall: 'connect' });
}

describe('isDatabaseUnavailable', () => {
  it.each([
    [
      'admin shutdown 57P01',
      viaTypeorm(serverError('57P01', 'terminating connection due to administrator command', 'FATAL')),
    ],
    [
      'crash shutdown 57P02',
      viaTypeorm(serverError('57P02', 'terminating connection because of crash of another server process')),
    ],
    ['starting up 57P03', serverError('57P03', 'the database system is starting up', 'FATAL')],
    ['statement timeout 57014', viaTypeorm(serverError('57014', 'canceling statement due to statement timeout'))],
    ['too many connections 53300', serverError('53300', 'sorry, too many clients already', 'FATAL')],
    ['out of memory 53200', viaTypeorm(serverError('53200', 'out of memory'))],
    ['connection failure 08006', viaTypeorm(serverError('08006', 'connection failure'))],
    [
      'serialization failure 40001',
      viaTypeorm(serverError('40001', 'could not serialize access due to concurrent update')),
    ],
    ['deadlock 40P01', viaTypeorm(serverError('40P01', 'deadlock detected'))],
    ['lock not available 55P03', viaTypeorm(serverError('55P03', 'could not obtain lock on row in relation "x"'))],
    [
      'refused while connecting (FATAL)',
      serverError('55000', 'database "x" is not currently accepting connections', 'FATAL'),
    ],
    ['connection terminated', viaTypeorm(new Error('Connection terminated unexpectedly'))],
    ['connect timeout', new Error('Connection terminated due to connection timeout')],
    ['pool exhausted', new Error('timeout exceeded when trying to connect')],
    ['client not queryable', viaTypeorm(new Error('Client has encountered a connection error and is not queryable'))],
    ['pool ended', new Error('Cannot use a pool after calling end on the pool')],
    ['ECONNREFUSED', errnoError('ECONNREFUSED')],
    ['ECONNRESET under TypeORM', viaTypeorm(errnoError('ECONNRESET'))],
    [
      'AggregateError of refusals',
      new AggregateError([errnoError('ECONNREFUSED'), errnoError('ECONNREFUSED')], 'connect failed'),
    ],
    ['lost connection', new DatabaseConnectionLostError(new Error('Connection terminated unexpectedly'))],
    ['as a cause', new Error('loading failed', { cause: errnoError('ETIMEDOUT') })],
  ])('%s → unavailable', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    ['unique violation 23505', viaTypeorm(serverError('23505', 'duplicate key value violates unique constraint "x"'))],
    ['syntax error 42601', viaTypeorm(serverError('42601', 'syntax error at or near "SELEC"'))],
    [
      'currval not defined 55000 (ERROR)',
      viaTypeorm(serverError('55000', 'currval of sequence "s" is not yet defined in this session')),
    ],
    ['a plain error', new Error('something else')],
    ['a message merely mentioning a connection', new Error('Report: Connection terminated unexpectedly')],
    ['not an error', 'Connection terminated unexpectedly'],
  ])('%s → not unavailable', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});

describe('toProblem for database trouble', () => {
  it('answers 503 database-unavailable with Retry-After, and hides the cause', () => {
    const rendered = toProblem(
      viaTypeorm(serverError('57P01', 'terminating connection due to administrator command', 'FATAL')),
    );
    expect(rendered.unexpected).toBeFalsy();
    expect(rendered.headers).toEqual({ 'Retry-After': '5' });
    expect(rendered.body).toMatchObject({
      status: 503,
      title: 'Service Unavailable',
      type: 'https://errors.after-sales.example/database-unavailable',
    });
    expect(JSON.stringify(rendered.body)).not.toMatch(/administrator|57P01/);
  });

  it('keeps other database errors a 500', () => {
    const rendered = toProblem(viaTypeorm(serverError('23505', 'duplicate key value violates unique constraint "x"')));
    expect(rendered.body.status).toBe(500);
    expect(rendered.unexpected).toBe(true);
  });
});
