import { createValidationPipe } from '../problem/validation';
import { AuditLogQuery } from './audit-log.query';

describe('audit log query', () => {
  const pipe = createValidationPipe();
  const check = (query: Record<string, string>) =>
    pipe.transform(query, { type: 'query', metatype: AuditLogQuery }).then(
      () => [],
      (e: { errors?: unknown[] }) => e.errors,
    );

  it('takes real dates and date-times within the limits of the domain', async () => {
    expect(await check({ from: '2026-02-28', to: '2026-03-01T00:00:00+08:00' })).toEqual([]);
  });

  it('refuses dates that do not exist or lie outside 2000 … 2099, naming the field', async () => {
    expect(await check({ from: '2026-02-30' })).toEqual([
      expect.objectContaining({ field: 'from', rule: 'timestamp' }),
    ]);
    expect(await check({ to: '0000-01-01T00:00:00Z' })).toEqual([
      expect.objectContaining({ field: 'to', rule: 'timestamp' }),
    ]);
  });
});
