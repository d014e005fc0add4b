import { buildDeadLetter, DLQ_REASON_HEADER } from './dead-letter';

describe('dead-letter record', () => {
  it('carries reason, origin, key, headers and the original value as text', () => {
    const dl = buildDeadLetter('invalid envelope: eventId: must be a UUID', {
      topic: 'dealers.events.v1',
      partition: 2,
      offset: '17',
      key: Buffer.from('D001'),
      headers: { 'correlation-id': Buffer.from('c-1'), multi: ['a', Buffer.from('b')], gone: undefined },
      value: Buffer.from('{"not":"an event"}'),
    });
    expect(JSON.parse(dl.value)).toEqual({
      reason: 'invalid envelope: eventId: must be a UUID',
      topic: 'dealers.events.v1',
      partition: 2,
      offset: '17',
      key: 'D001',
      headers: { 'correlation-id': 'c-1', multi: 'a,b' },
      value: '{"not":"an event"}',
    });
    expect(dl.key).toBe('D001');
    expect(dl.headers).toEqual({
      'correlation-id': 'c-1',
      multi: 'a,b',
      [DLQ_REASON_HEADER]: 'invalid envelope: eventId: must be a UUID',
    });
  });

  it('keeps the reason header single-line and bounded; tolerates null key and value', () => {
    const dl = buildDeadLetter(`line1\nline2 ${'x'.repeat(5000)}`, {
      topic: 't',
      partition: 0,
      offset: '0',
      key: null,
      value: null,
    });
    expect(dl.headers[DLQ_REASON_HEADER]).not.toContain('\n');
    expect(dl.headers[DLQ_REASON_HEADER].length).toBeLessThanOrEqual(1000);
    expect(JSON.parse(dl.value)).toMatchObject({ key: null, value: null, headers: {} });
  });
});
