import { matchBatchDefect } from '../batch-defects/batch-defect-match';
import { addMonthsToDate, ClassifiableLine, classifyReturnLine } from './classify-return-line';

const terms = { doaDays: 7, qualityDays: 15, warrantyMonths: 12 };
const failed: ClassifiableLine = {
  receiptDate: '2026-03-01',
  saleDate: null,
  repairAttempted: true,
  transportDamage: false,
};

describe('classifyReturnLine (R-RET-2)', () => {
  it('R-RET-2 DOA: day 7 after the dealer receipt is in, day 8 out', () => {
    const day7 = classifyReturnLine(failed, terms, '2026-03-08');
    expect(day7.computedClass).toBe('DOA');
    expect(day7.allowedClasses).toEqual(['DOA', 'IN_WARRANTY']);
    expect(day7.reason).toMatch(/DOA: applied 7 day\(s\) after the dealer's receipt/);
    const day8 = classifyReturnLine(failed, terms, '2026-03-09');
    expect(day8.computedClass).toBe('IN_WARRANTY');
    expect(day8.allowedClasses).not.toContain('DOA');
    expect(day8.reason).toMatch(/not DOA: applied 8 day\(s\)/);
  });

  it('R-RET-2 DOA: never with transport damage, nor without a failed repair', () => {
    expect(classifyReturnLine({ ...failed, transportDamage: true }, terms, '2026-03-02').allowedClasses).toEqual([
      'IN_WARRANTY',
    ]);
    expect(classifyReturnLine({ ...failed, repairAttempted: false }, terms, '2026-03-02').allowedClasses).toEqual([
      'IN_WARRANTY',
    ]);
    expect(classifyReturnLine({ ...failed, transportDamage: true }, terms, '2026-03-02').reason).toMatch(
      /not DOA: transport damage/,
    );
  });

  it('R-RET-2 DOA window follows the agreement doaDays', () => {
    expect(classifyReturnLine(failed, { ...terms, doaDays: 10 }, '2026-03-11').computedClass).toBe('DOA');
    expect(classifyReturnLine(failed, { ...terms, doaDays: 10 }, '2026-03-12').computedClass).toBe('IN_WARRANTY');
  });

  it('R-RET-2 QUALITY: day 15 after the consumer sale is in, day 16 out', () => {
    const sold = { ...failed, receiptDate: '2026-01-10', saleDate: '2026-03-01' };
    const day15 = classifyReturnLine(sold, terms, '2026-03-16');
    expect(day15.computedClass).toBe('QUALITY');
    expect(day15.allowedClasses).toEqual(['QUALITY', 'IN_WARRANTY']);
    const day16 = classifyReturnLine(sold, terms, '2026-03-17');
    expect(day16.computedClass).toBe('IN_WARRANTY');
    expect(day16.reason).toMatch(/not QUALITY: applied 16 day\(s\) after the consumer sale \(> 15\)/);
  });

  it('R-RET-2 QUALITY needs a sale and a failed repair; transport damage does not exclude it', () => {
    const sold = { ...failed, receiptDate: '2026-01-10', saleDate: '2026-03-01' };
    expect(classifyReturnLine({ ...sold, repairAttempted: false }, terms, '2026-03-05').allowedClasses).toEqual([
      'IN_WARRANTY',
    ]);
    expect(classifyReturnLine({ ...sold, transportDamage: true }, terms, '2026-03-05').computedClass).toBe('QUALITY');
    expect(classifyReturnLine(failed, terms, '2026-03-20').reason).toMatch(/not QUALITY: unsold stock/);
  });

  it('R-RET-2 DOA takes precedence over QUALITY when both hold', () => {
    const both = { ...failed, saleDate: '2026-03-02' };
    const c = classifyReturnLine(both, terms, '2026-03-05');
    expect(c.computedClass).toBe('DOA');
    expect(c.allowedClasses).toEqual(['DOA', 'QUALITY', 'IN_WARRANTY']);
  });

  it('R-RET-2 IN_WARRANTY: up to warrantyMonths after the consumer sale, the last day in, the next out', () => {
    const sold = { ...failed, receiptDate: '2025-01-01', saleDate: '2025-03-15', repairAttempted: false };
    expect(classifyReturnLine(sold, terms, '2026-03-15')).toMatchObject({
      computedClass: 'IN_WARRANTY',
      allowedClasses: ['IN_WARRANTY'],
      warrantyEnds: '2026-03-15',
    });
    expect(classifyReturnLine(sold, terms, '2026-03-16')).toMatchObject({
      computedClass: 'OUT_OF_WARRANTY',
      allowedClasses: ['OUT_OF_WARRANTY'],
    });
    expect(classifyReturnLine(sold, { ...terms, warrantyMonths: 13 }, '2026-03-16').computedClass).toBe('IN_WARRANTY');
  });

  it('R-RET-2 IN_WARRANTY: unsold stock counts from the dealer receipt', () => {
    const unsold = { ...failed, receiptDate: '2025-06-30', repairAttempted: false };
    expect(classifyReturnLine(unsold, terms, '2026-06-30').computedClass).toBe('IN_WARRANTY');
    expect(classifyReturnLine(unsold, terms, '2026-07-01').computedClass).toBe('OUT_OF_WARRANTY');
    expect(classifyReturnLine(unsold, terms, '2026-07-01').reason).toMatch(
      /from the dealer's receipt \(unsold\) 2025-06-30/,
    );
  });

  it('R-RET-2 OUT_OF_WARRANTY: an approver cannot pick IN_WARRANTY for it', () => {
    const old = { ...failed, receiptDate: '2024-01-01', saleDate: '2024-02-01' };
    expect(classifyReturnLine(old, terms, '2026-03-01').allowedClasses).toEqual(['OUT_OF_WARRANTY']);
  });

  it('R-RET-2 BATCH_DEFECT is allowed only for a line in a declared batch', () => {
    const old = { ...failed, receiptDate: '2024-01-01', saleDate: '2024-02-01' };
    const defects = [
      { id: 'b1', model: 'EB-200', serialFrom: 'EB200-000100', serialTo: 'EB200-000199', reason: 'controller lot 7' },
    ];
    const hit = matchBatchDefect(defects, { model: 'EB-200', serial: 'EB200-000150' });
    expect(hit?.id).toBe('b1');
    expect(matchBatchDefect(defects, { model: 'EB-200', serial: 'EB200-000200' })).toBeUndefined();
    expect(matchBatchDefect(defects, { model: 'EB-100', serial: 'EB200-000150' })).toBeUndefined();
    expect(matchBatchDefect(defects, { model: 'EB-200', serial: 'EB200-00015' })).toBeUndefined();
    const c = classifyReturnLine(old, terms, '2026-03-01', hit);
    expect(c).toMatchObject({ computedClass: 'BATCH_DEFECT', allowedClasses: ['BATCH_DEFECT', 'OUT_OF_WARRANTY'] });
    expect(c.reason).toMatch(/controller lot 7/);
    expect(classifyReturnLine(old, terms, '2026-03-01').allowedClasses).not.toContain('BATCH_DEFECT');
  });

  it('R-RET-2 warranty months clamp to the end of a shorter month', () => {
    expect(addMonthsToDate('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonthsToDate('2027-02-28', 12)).toBe('2028-02-28');
    expect(addMonthsToDate('2025-12-15', 13)).toBe('2027-01-15');
  });
});
