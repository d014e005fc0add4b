import {
  plainRate,
  quarterDates,
  readableMoney,
  readableRate,
  readableSources,
  shanghaiIso,
  shanghaiTime,
} from './statement-format';
import { bilingual, STATEMENT_CATALOGUES } from './statement-labels';

describe('statement formats for people', () => {
  it('R-SET-9 amounts have two places and thousands separators; rates no trailing zeros beyond two places', () => {
    expect(['0', '-0.5', '1234567.5', '-1000', '999.99'].map(readableMoney)).toEqual([
      '0.00',
      '-0.50',
      '1,234,567.50',
      '-1,000.00',
      '999.99',
    ]);
    expect(['15.0000', '12.3450', '0.5000', '1000.0000'].map(plainRate)).toEqual([
      '15.00',
      '12.345',
      '0.50',
      '1000.00',
    ]);
    expect(readableRate('1000.0000')).toBe('1,000.00');
  });

  it('business times are shown in Asia/Shanghai with their offset, across the date line', () => {
    expect(shanghaiTime('2026-12-01T22:22:04.000Z')).toBe('2026-12-02 06:22 +08:00');
    expect(shanghaiIso('2026-12-01T22:22:04.000Z')).toBe('2026-12-02T06:22:04+08:00');
  });

  it('a quarter is shown with its first and last day', () => {
    expect(quarterDates('2026-Q3')).toBe('2026-07-01 – 2026-09-30');
    expect(quarterDates('2028-Q1')).toBe('2028-01-01 – 2028-03-31');
  });

  it('sources read as text, nested values inline, without JSON punctuation', () => {
    expect(
      readableSources({
        cardsByModel: { 'EB-100': 100, 'EB-200': 20 },
        agreementVersion: 1,
        missedMonths: ['2026-01', '2026-02'],
        fact: { id: 'c-1', date: '2026-02-03', extra: null },
        none: null,
      }),
    ).toBe(
      'cardsByModel: EB-100 100, EB-200 20; agreementVersion: 1; missedMonths: 2026-01, 2026-02; fact: id c-1, date 2026-02-03',
    );
  });

  it('the statement catalogues of both languages have the same keys, each with a text', () => {
    const en = [...STATEMENT_CATALOGUES.en.keys()].sort();
    expect([...STATEMENT_CATALOGUES['zh-CN'].keys()].sort()).toEqual(en);
    for (const lang of ['en', 'zh-CN'] as const)
      for (const [key, text] of STATEMENT_CATALOGUES[lang]) expect([key, text.trim().length > 0]).toEqual([key, true]);
    expect(bilingual('page', { page: 1, pages: 2 })).toBe('第 1 页 / 共 2 页 Page 1 of 2');
    expect(() => bilingual('no.such.key')).toThrow(/missing/);
  });
});
