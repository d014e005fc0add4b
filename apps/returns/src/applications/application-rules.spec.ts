import { ProblemException } from '@app/platform';
import { documentDate } from './application-rules';

describe('document dates of a return (R-SET-10, DOMAIN §9)', () => {
  const today = '2026-04-02';
  const closing = (given: string | undefined) =>
    documentDate(
      {
        field: 'closedOn',
        step: 'closing',
        given,
        follows: { field: 'receivedOn', step: 'receipt', date: '2026-03-25' },
      },
      today,
    );
  const refusal = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return { status: (e as ProblemException).problemStatus, errors: (e as ProblemException).errors };
    }
    throw new Error('not refused');
  };

  it('R-SET-10 §9 a date not given is today in Asia/Shanghai', () => {
    expect(documentDate({ field: 'applicationDate', step: 'application', given: undefined }, today)).toBe(today);
  });

  it('R-SET-10 §9 a date on the document is kept, back to a quarter already approved', () => {
    expect(closing('2026-03-31')).toBe('2026-03-31');
    expect(closing('2026-03-25')).toBe('2026-03-25');
  });

  it('R-SET-10 §9 a date in the future is refused with 422 naming the field and the rule', () => {
    expect(refusal(() => closing('2026-04-03'))).toEqual({
      status: 422,
      errors: [
        {
          field: 'closedOn',
          rule: 'R-SET-10',
          message: 'closedOn 2026-04-03 is in the future: today in Asia/Shanghai is 2026-04-02',
        },
      ],
    });
  });

  it('R-SET-10 §9 a closing dated before its receipt is refused', () => {
    expect(refusal(() => closing('2026-03-24')).errors).toEqual([
      {
        field: 'closedOn',
        rule: 'R-SET-10',
        message: 'closedOn 2026-03-24 is before receivedOn 2026-03-25: the closing cannot precede the receipt',
      },
    ]);
  });
});
