import { dec, formatMoney, formatRate, monthOfDate } from '@app/kernel';
import type {
  OldPartsInvoiceInput,
  RequisitionLineInput,
  StatementInput,
  UrgentFreightInput,
} from '../statement-input';
import type { StatementLine } from '../statement-line';
import { Keyed, keyed, sortedBy } from './keyed-line';

/** R-PRT-2 / R-PRT-3 / R-PRT-4: approved requisition lines, urgent freight and unreturned old parts. */
export function rPrtParts(input: StatementInput): Keyed[] {
  const lineKey = (r: RequisitionLineInput) => `${r.approvedOn}|${r.requisitionId}|${r.lineId}`;
  const urgentKey = (u: UrgentFreightInput) => `${u.approvedOn}|${u.requisitionId}`;
  const oldKey = (o: OldPartsInvoiceInput) => `${o.invoicedOn}|${o.requisitionId}|${o.lineId}`;
  return [
    ...sortedBy(input.requisitionLines, lineKey).map((r) => keyed(lineKey(r), rPrt2PartsLine(r))),
    ...sortedBy(input.urgentFreight, urgentKey).map((u) => keyed(urgentKey(u), rPrt3UrgentFreightLine(u))),
    ...sortedBy(input.oldPartsInvoiced, oldKey).map((o) => keyed(oldKey(o), rPrt4OldPartsLine(o))),
  ];
}

/** R-PRT-2: an approved requisition line, per its charge target: the allowance, free (1:1), or invoiced. */
export function rPrt2PartsLine(r: RequisitionLineInput, prefix = ''): StatementLine {
  const amount = dec(r.listPrice).times(r.quantity);
  const what = `${r.quantity} × ${r.partName ?? r.partNo} ${formatMoney(r.listPrice)}`;
  const sources = {
    requisitionId: r.requisitionId,
    lineId: r.lineId,
    partNo: r.partNo,
    purpose: r.purpose ?? null,
    chargeTo: r.chargeTo,
    approvedOn: r.approvedOn,
  };
  const base = {
    ruleId: 'R-PRT-2',
    period: monthOfDate(r.approvedOn),
    quantity: r.quantity,
    rate: formatRate(r.listPrice),
    base: null,
    percent: null,
    sources,
  };
  if (r.chargeTo === 'ALLOWANCE')
    return {
      ...base,
      kind: 'PARTS_CHARGE',
      description: `${prefix}parts charged to the allowance: ${what}`,
      amount: formatMoney(amount.negated()),
      affectsBalance: true,
    };
  if (r.chargeTo === 'FREE')
    return {
      ...base,
      kind: 'PARTS_FREE',
      description: `${prefix}parts replaced free of charge (1:1): ${what}`,
      amount: '0.00',
      affectsBalance: false,
    };
  return {
    ...base,
    kind: 'PARTS_INVOICED',
    description: `${prefix}parts invoiced to the dealer, not in the balance: ${what}`,
    amount: formatMoney(amount),
    affectsBalance: false,
  };
}

/** R-PRT-3: the urgent freight difference, always invoiced, never in the balance. */
export function rPrt3UrgentFreightLine(u: UrgentFreightInput, prefix = ''): StatementLine {
  return {
    ruleId: 'R-PRT-3',
    kind: 'URGENT_FREIGHT_INVOICED',
    period: monthOfDate(u.approvedOn),
    description: `${prefix}urgent freight difference of requisition ${u.requisitionId}, invoiced, not in the balance`,
    quantity: null,
    rate: null,
    base: null,
    percent: null,
    amount: formatMoney(u.amount),
    affectsBalance: false,
    sources: { requisitionId: u.requisitionId, approvedOn: u.approvedOn },
  };
}

/** R-PRT-4: old parts not returned in time, invoiced at cost, never in the balance. */
export function rPrt4OldPartsLine(o: OldPartsInvoiceInput, prefix = ''): StatementLine {
  return {
    ruleId: 'R-PRT-4',
    kind: 'OLD_PARTS_INVOICED',
    period: monthOfDate(o.invoicedOn),
    description: `${prefix}old parts not returned${o.partNo ? `: ${o.quantity ?? ''} × ${o.partNo}` : ''} at cost, invoiced, not in the balance`,
    quantity: o.quantity ?? null,
    rate: o.costPrice ? formatRate(o.costPrice) : null,
    base: null,
    percent: null,
    amount: formatMoney(o.amount),
    affectsBalance: false,
    sources: { requisitionId: o.requisitionId, lineId: o.lineId, invoicedOn: o.invoicedOn },
  };
}
