import {
  callbacksBelowMinimum,
  checkPartContent,
  isOnTime,
  isReportableMonth,
  partFromPath,
  reportDueAtFor,
  reportDueDayForMonth,
  reportFigures,
  reportFlags,
  reportStatus,
} from './report-rules';

const due = new Date('2026-02-03T15:59:59.000Z'); // 2026-02-03 23:59:59 Asia/Shanghai

describe('monthly report status and timeliness (DOMAIN §3)', () => {
  it('is NOT_SUBMITTED until the sales statistics are in', () => {
    expect(reportStatus({ closed: false, firstSubmittedAt: null, dueAt: due })).toBe('NOT_SUBMITTED');
  });

  it('is SUBMITTED when first submitted by the due time, 23:59:59 Shanghai of the due day included', () => {
    expect(reportStatus({ closed: false, firstSubmittedAt: new Date('2026-02-03T15:59:59.000Z'), dueAt: due })).toBe(
      'SUBMITTED',
    );
    expect(isOnTime(new Date('2026-01-31T10:00:00Z'), due)).toBe(true);
  });

  it('is LATE when first submitted a moment after the due time', () => {
    expect(reportStatus({ closed: false, firstSubmittedAt: new Date('2026-02-03T16:00:00.000Z'), dueAt: due })).toBe(
      'LATE',
    );
    expect(isOnTime(new Date('2026-02-03T16:00:00.000Z'), due)).toBe(false);
    expect(isOnTime(null, due)).toBe(false);
  });

  it('is CLOSED once its quarter is approved, whatever else holds', () => {
    expect(reportStatus({ closed: true, firstSubmittedAt: null, dueAt: due })).toBe('CLOSED');
    expect(reportStatus({ closed: true, firstSubmittedAt: new Date('2026-03-01T00:00:00Z'), dueAt: due })).toBe(
      'CLOSED',
    );
  });

  it("R-AGR-1 takes reportDueDay from the terms in force on the month's first day, default 3", () => {
    const versions = [
      { effectiveFrom: '2026-01-01', reportDueDay: 15 },
      { effectiveFrom: '2026-04-01', reportDueDay: 20 },
    ];
    expect(reportDueDayForMonth([], '2026-01')).toBe(3);
    expect(reportDueDayForMonth(versions, '2025-12')).toBe(3);
    expect(reportDueDayForMonth(versions, '2026-03')).toBe(15);
    expect(reportDueDayForMonth(versions, '2026-04')).toBe(20);
    expect(reportDueDayForMonth([{ effectiveFrom: '2026-01-01' }], '2026-02')).toBe(3);
    expect(reportDueAtFor(versions, '2026-03').toISOString()).toBe('2026-04-15T15:59:59.000Z');
    expect(reportDueAtFor([], '2026-01').toISOString()).toBe(due.toISOString());
  });

  it('refuses months after the current Asia/Shanghai month, allows the current one', () => {
    // 2026-01-31 16:30 UTC is already 2026-02-01 in Shanghai.
    const now = new Date('2026-01-31T16:30:00Z');
    expect(isReportableMonth('2026-02', now)).toBe(true);
    expect(isReportableMonth('2026-01', now)).toBe(true);
    expect(isReportableMonth('2026-03', now)).toBe(false);
    expect(isReportableMonth('2026-02', new Date('2026-01-31T15:59:59Z'))).toBe(false);
  });
});

describe("R-REP-2 callbacks at least 25 % of the month's repairs", () => {
  it('R-REP-2 exactly 25 % is enough; one fewer is flagged', () => {
    expect(callbacksBelowMinimum(8, 2)).toBe(false);
    expect(callbacksBelowMinimum(8, 1)).toBe(true);
    expect(callbacksBelowMinimum(9, 2)).toBe(true); // 22 %
    expect(callbacksBelowMinimum(9, 3)).toBe(false);
    expect(callbacksBelowMinimum(0, 0)).toBe(false);
  });

  it('R-REP-2 flags the report from its latest figures; missing callbacks count as none', () => {
    const repairs = {
      records: Array.from({ length: 4 }, (_, i) => ({
        ticket: `T${i}`,
        serial: 'S',
        model: 'M',
        fault: 'f',
        repairDate: '2026-01-05',
        inWarranty: true,
        parts: [],
        consumerSigned: true,
      })),
    };
    expect(reportFlags(reportFigures({ REPAIRS: repairs }))).toEqual(['CALLBACKS_BELOW_MINIMUM']);
    expect(reportFlags(reportFigures({ REPAIRS: repairs, CALLBACKS: { callbacksMade: 1 } }))).toEqual([]);
  });
});

describe('R-REP-1 figures come from the latest version of each part', () => {
  it('R-REP-1 sums units and amounts exactly; zero sales lines make zero figures', () => {
    const f = reportFigures({
      SALES: {
        lines: [
          { outlet: 'D001', model: 'EB-100', units: 3, amount: '0.10' },
          { outlet: 'S01', model: 'EB-200', units: 2, amount: '0.20' },
        ],
      },
      SATISFACTION: { surveyed: 10, satisfied: 9 },
    });
    expect(f).toEqual({ unitsSold: 5, salesAmount: '0.30', repairs: 0, callbacks: 0, surveyed: 10, satisfied: 9 });
    expect(reportFigures({ SALES: { lines: [] } })).toMatchObject({ unitsSold: 0, salesAmount: '0.00' });
  });
});

describe('part checks', () => {
  it('satisfied cannot exceed surveyed', () => {
    expect(checkPartContent('SATISFACTION', { surveyed: 5, satisfied: 6 }, '2026-01')).toEqual([
      expect.objectContaining({ field: 'satisfied' }),
    ]);
    expect(checkPartContent('SATISFACTION', { surveyed: 5, satisfied: 5 }, '2026-01')).toEqual([]);
  });

  it('repairs: tickets once, repair dates within the report month', () => {
    const rec = (ticket: string, repairDate: string) => ({
      ticket,
      serial: 'S',
      model: 'M',
      fault: 'f',
      repairDate,
      inWarranty: true,
      parts: [],
      consumerSigned: false,
    });
    const issues = checkPartContent(
      'REPAIRS',
      { records: [rec('A', '2026-01-31'), rec('A', '2026-01-02'), rec('B', '2026-02-01'), rec('C', '2026-01-32')] },
      '2026-01',
    );
    expect(issues.map((i) => [i.field, i.rule])).toEqual([
      ['records[1].ticket', 'uniqueTicket'],
      ['records[2].repairDate', 'inReportMonth'],
      ['records[3].repairDate', 'calendarDate'],
    ]);
  });

  it('opinions: each kind once', () => {
    expect(
      checkPartContent(
        'OPINIONS',
        {
          lines: [
            { kind: '服务', count: 1 },
            { kind: '服务', count: 2 },
          ],
        },
        '2026-01',
      ),
    ).toEqual([expect.objectContaining({ field: 'lines[1].kind' })]);
  });

  it('part names in paths are kebab-case', () => {
    expect(partFromPath('quality-feedback')).toBe('QUALITY_FEEDBACK');
    expect(partFromPath('sales')).toBe('SALES');
    expect(partFromPath('warranty-cards')).toBeUndefined();
  });
});
