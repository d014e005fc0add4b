import { formatMoney, monthOfDate, sumMoney } from '@app/kernel';
import type { ReturnChargeInput, StatementInput } from '../statement-input';
import type { StatementLine } from '../statement-line';
import { Keyed, keyed, sortedBy } from './keyed-line';

/** R-RET-4: one line per closed return. */
export function rRet4Returns(input: StatementInput): Keyed[] {
  const byReturn = new Map<string, ReturnChargeInput[]>();
  for (const c of input.returnCharges) byReturn.set(c.returnId, [...(byReturn.get(c.returnId) ?? []), c]);
  return [...byReturn].map(([returnId, charges]) =>
    keyed(`${charges[0].closedOn}|${returnId}`, rRet4ReturnLine(returnId, charges)),
  );
}

/** R-RET-4: a closed return's charges paid from the allowance (manufacturer-paid ones at 0). */
export function rRet4ReturnLine(returnId: string, charges: ReturnChargeInput[], prefix = ''): StatementLine {
  const sorted = sortedBy(charges, (c) => `${c.kind}|${c.payer}|${c.amount}|${c.detail ?? ''}`);
  const dealerPaid = sorted.filter((c) => c.payer === 'DEALER_ALLOWANCE');
  const total = sumMoney(dealerPaid.map((c) => c.amount));
  const first = sorted[0];
  return {
    ruleId: 'R-RET-4',
    kind: 'RETURN_CHARGE',
    period: monthOfDate(first.closedOn),
    description: dealerPaid.length
      ? `${prefix}return ${returnId} (${first.returnClass}): ${dealerPaid.map((c) => `${c.kind} ${formatMoney(c.amount)}`).join(' + ')}`
      : `${prefix}return ${returnId} (${first.returnClass}): paid by the manufacturer`,
    quantity: dealerPaid.length,
    rate: null,
    base: null,
    percent: null,
    amount: formatMoney(total.negated()),
    affectsBalance: true,
    sources: {
      returnId,
      returnClass: first.returnClass,
      closedOn: first.closedOn,
      charges: sorted.map((c) => ({
        ruleId: c.ruleId,
        kind: c.kind,
        payer: c.payer,
        amount: formatMoney(c.amount),
        detail: c.detail ?? null,
      })),
    },
  };
}
