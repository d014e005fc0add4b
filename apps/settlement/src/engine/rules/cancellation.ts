import { formatMoney, sumMoney } from '@app/kernel';
import type { StatementInput } from '../statement-input';
import type { CancelCause } from './fake-cards';
import { cmp, Keyed, keyed } from './keyed-line';

/**
 * R-SET-5 / R-SET-6: a breach recorded for this quarter, or a falsified card under CANCEL_QUARTER
 * (R-AUD-3), cancels the quarter's allowance accrual: one line reversing every accrual line.
 */
export function rSet5rSet6Cancellation(
  input: StatementInput,
  fakeCardCauses: CancelCause[],
  accrual: Keyed[],
): Keyed[] {
  const causes = [...fakeCardCauses];
  for (const b of [...input.breaches]
    .filter((x) => x.quarter === input.quarter)
    .sort((x, y) => cmp(x.reference, y.reference))) {
    causes.unshift({ ruleId: 'R-SET-6', breachId: b.id, reference: b.reference });
  }
  if (causes.length === 0) return [];
  const accrued = sumMoney(accrual.filter((l) => l.line.kind === 'ALLOWANCE_ACCRUAL').map((l) => l.line.amount));
  const byBreach = causes.some((c) => c.ruleId === 'R-SET-6');
  return [
    keyed('cancel', {
      ruleId: byBreach ? 'R-SET-6' : 'R-SET-5',
      kind: 'ACCRUAL_CANCELLED',
      period: input.quarter,
      description: byBreach
        ? `quarter's allowance accrual cancelled: breach of agreement ${causes
            .filter((c) => c.ruleId === 'R-SET-6')
            .map((c) => c.reference)
            .join(', ')}`
        : `quarter's allowance accrual cancelled: falsified card ${causes.map((c) => c.serial).join(', ')} under CANCEL_QUARTER`,
      quantity: null,
      rate: null,
      base: formatMoney(accrued),
      percent: null,
      amount: formatMoney(accrued.negated()),
      affectsBalance: true,
      sources: { causes },
    }),
  ];
}
