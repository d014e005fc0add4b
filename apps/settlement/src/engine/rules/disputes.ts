import { formatMoney } from '@app/kernel';
import type { StatementInput } from '../statement-input';
import { Keyed, keyed } from './keyed-line';

/** R-DSP-2: each accepted dispute assigned to this quarter enters it with its signed amount. */
export function rDsp2DisputeResolutions(input: StatementInput): Keyed[] {
  return input.disputeResolutions.map((d) =>
    keyed(`${d.statementId}|${d.disputeId}`, {
      ruleId: 'R-DSP-2',
      kind: 'DISPUTE_RESOLUTION',
      period: d.quarter ?? input.quarter,
      description: `dispute ${d.disputeId} accepted${d.quarter ? ` on the ${d.quarter} statement` : ''}`,
      quantity: null,
      rate: null,
      base: null,
      percent: null,
      amount: formatMoney(d.amount),
      affectsBalance: true,
      sources: { disputeId: d.disputeId, statementId: d.statementId },
    }),
  );
}
