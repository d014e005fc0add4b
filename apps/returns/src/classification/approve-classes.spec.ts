import { matchBatchDefect } from '../batch-defects/batch-defect-match';
import { approveClasses } from './approve-classes';
import { classifyReturnLine } from './classify-return-line';

const terms = { doaDays: 7, qualityDays: 15, warrantyMonths: 12 };
const defects = [{ id: 'b1', model: 'EB-200', serialFrom: 'EB200-000100', serialTo: 'EB200-000199', reason: 'lot 7' }];
const classified = (lineNo: number, serial: string, receiptDate: string, applicationDate = '2026-03-10') => ({
  lineNo,
  serial,
  classification: classifyReturnLine(
    { receiptDate, saleDate: null, repairAttempted: true, transportDamage: false },
    terms,
    applicationDate,
    matchBatchDefect(defects, { model: 'EB-200', serial }) ?? null,
  ),
});

describe('approveClasses (R-RET-2)', () => {
  const doaDay7 = classified(1, 'EB200-000001', '2026-03-03');
  const day8 = classified(2, 'EB200-000002', '2026-03-02');

  it('R-RET-2 without a pick, each line gets its computed class', () => {
    const { classes, errors } = approveClasses([doaDay7, day8], {});
    expect(errors).toEqual([]);
    expect([...classes.entries()]).toEqual([
      [1, 'DOA'],
      [2, 'IN_WARRANTY'],
    ]);
  });

  it('R-RET-2 an approver may not pick DOA on day 8, and the refusal names the field', () => {
    const { errors } = approveClasses([doaDay7, day8], { lines: [{ lineNo: 2, returnClass: 'DOA' }] });
    expect(errors).toEqual([expect.objectContaining({ field: 'lines[0].returnClass', rule: 'R-RET-2' })]);
    expect(errors[0].message).toMatch(/line 2 \(EB200-000002\) cannot be DOA; its dates allow IN_WARRANTY/);
  });

  it('R-RET-2 a class for the whole return must suit every line; a per-line pick overrides it', () => {
    expect(approveClasses([doaDay7, day8], { returnClass: 'DOA' }).errors.map((e) => e.field)).toEqual(['returnClass']);
    const { classes, errors } = approveClasses([doaDay7, day8], {
      returnClass: 'IN_WARRANTY',
      lines: [{ lineNo: 1, returnClass: 'DOA' }],
    });
    expect(errors).toEqual([]);
    expect([...classes.values()]).toEqual(['DOA', 'IN_WARRANTY']);
  });

  it('R-RET-2 BATCH_DEFECT only for a line in a declared batch', () => {
    const inBatch = classified(3, 'EB200-000150', '2024-01-01');
    expect(approveClasses([inBatch], { returnClass: 'BATCH_DEFECT' }).errors).toEqual([]);
    expect(approveClasses([day8], { returnClass: 'BATCH_DEFECT' }).errors).toHaveLength(1);
  });

  it('R-RET-2 an unknown or repeated line number is refused', () => {
    const { errors } = approveClasses([doaDay7], {
      lines: [
        { lineNo: 1, returnClass: 'DOA' },
        { lineNo: 1, returnClass: 'DOA' },
        { lineNo: 9, returnClass: 'DOA' },
      ],
    });
    expect(errors.map((e) => e.field)).toEqual(['lines[1].lineNo', 'lines[2].lineNo']);
  });
});
