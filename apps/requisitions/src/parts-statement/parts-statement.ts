import type { PartsCharging, RequisitionPurpose } from '@app/contracts';
import { formatMoney, sumMoney } from '@app/kernel';

export interface StatementLine {
  lineId: string;
  partNo: string;
  partName: string;
  purpose: RequisitionPurpose;
  repairTickets: string[];
  requestedQuantity: number;
  approvedQuantity: number;
  cutReason: string | null;
  listPrice: string;
  costPrice: string;
  amount: string;
  chargeTo: PartsCharging;
  oldPartsOwed: number;
  oldPartsReceived: number;
  oldPartsInvoicedQuantity: number;
  oldPartsInvoicedAmount: string;
}

export interface StatementRequisition {
  requisitionId: string;
  approvedOn: string;
  urgent: boolean;
  urgentFreightDifference: string | null;
  shippedOn: string | null;
  oldPartsDueOn: string | null;
  lines: StatementLine[];
}

export interface PartsStatementTotals {
  requisitions: number;
  lines: number;
  total: string;
  toAllowance: string;
  free: string;
  invoicedParts: string;
  urgentFreight: string;
  oldPartsOwed: number;
  oldPartsReceived: number;
  oldPartsInvoicedQuantity: number;
  oldPartsInvoicedAmount: string;
  /** INVOICE parts + urgent freight (R-PRT-3) + unreturned old parts at cost (R-PRT-4): billed outside the fund. */
  invoicedToDealer: string;
}

export interface PartsStatement {
  dealerCode: string;
  month: string;
  requisitions: StatementRequisition[];
  totals: PartsStatementTotals;
}

/**
 * R-PRT-5: the monthly parts statement of a dealer: the requisitions approved in the month (R-SET-10: a
 * requisition line falls in the period of its approval date), their approved lines with charge targets, and
 * the old parts owed, received and invoiced on them. Totals are sums of the rounded line amounts (R-MNY-1).
 */
export function buildPartsStatement(
  dealerCode: string,
  month: string,
  requisitions: readonly StatementRequisition[],
): PartsStatement {
  const inMonth = requisitions
    .filter((r) => r.approvedOn.slice(0, 7) === month)
    .map((r) => ({ ...r, lines: r.lines.filter((l) => l.approvedQuantity > 0) }))
    .sort((a, b) =>
      a.approvedOn === b.approvedOn
        ? a.requisitionId.localeCompare(b.requisitionId)
        : a.approvedOn.localeCompare(b.approvedOn),
    );
  const lines = inMonth.flatMap((r) => r.lines);
  const sumOf = (target: PartsCharging) => sumMoney(lines.filter((l) => l.chargeTo === target).map((l) => l.amount));
  const urgentFreight = sumMoney(inMonth.map((r) => r.urgentFreightDifference ?? '0'));
  const oldPartsInvoicedAmount = sumMoney(lines.map((l) => l.oldPartsInvoicedAmount));
  const invoicedParts = sumOf('INVOICE');
  return {
    dealerCode,
    month,
    requisitions: inMonth,
    totals: {
      requisitions: inMonth.length,
      lines: lines.length,
      total: formatMoney(sumMoney(lines.map((l) => l.amount))),
      toAllowance: formatMoney(sumOf('ALLOWANCE')),
      free: formatMoney(sumOf('FREE')),
      invoicedParts: formatMoney(invoicedParts),
      urgentFreight: formatMoney(urgentFreight),
      oldPartsOwed: lines.reduce((n, l) => n + l.oldPartsOwed, 0),
      oldPartsReceived: lines.reduce((n, l) => n + l.oldPartsReceived, 0),
      oldPartsInvoicedQuantity: lines.reduce((n, l) => n + l.oldPartsInvoicedQuantity, 0),
      oldPartsInvoicedAmount: formatMoney(oldPartsInvoicedAmount),
      invoicedToDealer: formatMoney(invoicedParts.plus(urgentFreight).plus(oldPartsInvoicedAmount)),
    },
  };
}

const CSV_COLUMNS = [
  'kind',
  'requisitionId',
  'approvedOn',
  'urgent',
  'lineId',
  'partNo',
  'partName',
  'purpose',
  'repairTickets',
  'requestedQuantity',
  'approvedQuantity',
  'cutReason',
  'listPrice',
  'amount',
  'chargeTo',
  'oldPartsOwed',
  'oldPartsReceived',
  'oldPartsInvoicedQuantity',
  'oldPartsInvoicedAmount',
] as const;

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  // Keep spreadsheet programs from running a cell as a formula.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** R-PRT-5 as CSV: one LINE row per approved line, one URGENT_FREIGHT row per urgent requisition, a TOTAL row. */
export function partsStatementCsv(s: PartsStatement): string {
  const rows: unknown[][] = [[...CSV_COLUMNS]];
  for (const r of s.requisitions) {
    for (const l of r.lines) {
      rows.push([
        'LINE',
        r.requisitionId,
        r.approvedOn,
        r.urgent,
        l.lineId,
        l.partNo,
        l.partName,
        l.purpose,
        l.repairTickets.join(' '),
        l.requestedQuantity,
        l.approvedQuantity,
        l.cutReason,
        l.listPrice,
        l.amount,
        l.chargeTo,
        l.oldPartsOwed,
        l.oldPartsReceived,
        l.oldPartsInvoicedQuantity,
        l.oldPartsInvoicedAmount,
      ]);
    }
    if (r.urgentFreightDifference !== null) {
      rows.push([
        'URGENT_FREIGHT',
        r.requisitionId,
        r.approvedOn,
        r.urgent,
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        r.urgentFreightDifference,
        'INVOICE',
        '',
        '',
        '',
        '',
      ]);
    }
  }
  const t = s.totals;
  rows.push([
    'TOTAL',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    t.total,
    '',
    t.oldPartsOwed,
    t.oldPartsReceived,
    t.oldPartsInvoicedQuantity,
    t.oldPartsInvoicedAmount,
  ]);
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
