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

type CsvColumn = (typeof CSV_COLUMNS)[number];

/** One CSV row: the given cells in column order, the others empty. */
function csvRow(cells: Partial<Record<CsvColumn, unknown>>): string {
  return CSV_COLUMNS.map((c) => csvCell(cells[c])).join(',');
}

/** R-PRT-4: the old-part columns, of a line or of the totals. */
function oldPartsCells(o: StatementLine | PartsStatementTotals): Partial<Record<CsvColumn, unknown>> {
  const { oldPartsOwed, oldPartsReceived, oldPartsInvoicedQuantity, oldPartsInvoicedAmount } = o;
  return { oldPartsOwed, oldPartsReceived, oldPartsInvoicedQuantity, oldPartsInvoicedAmount };
}

function lineRow(r: StatementRequisition, l: StatementLine): string {
  return csvRow({
    kind: 'LINE',
    requisitionId: r.requisitionId,
    approvedOn: r.approvedOn,
    urgent: r.urgent,
    lineId: l.lineId,
    partNo: l.partNo,
    partName: l.partName,
    purpose: l.purpose,
    repairTickets: l.repairTickets.join(' '),
    requestedQuantity: l.requestedQuantity,
    approvedQuantity: l.approvedQuantity,
    cutReason: l.cutReason,
    listPrice: l.listPrice,
    amount: l.amount,
    chargeTo: l.chargeTo,
    ...oldPartsCells(l),
  });
}

/** R-PRT-3: the urgent freight difference, always invoiced to the dealer. */
function urgentFreightRow(r: StatementRequisition): string {
  return csvRow({
    kind: 'URGENT_FREIGHT',
    requisitionId: r.requisitionId,
    approvedOn: r.approvedOn,
    urgent: r.urgent,
    amount: r.urgentFreightDifference,
    chargeTo: 'INVOICE',
  });
}

function totalRow(t: PartsStatementTotals): string {
  return csvRow({
    kind: 'TOTAL',
    amount: t.total,
    ...oldPartsCells(t),
  });
}

/** R-PRT-5 as CSV: one LINE row per approved line, one URGENT_FREIGHT row per urgent requisition, a TOTAL row. */
export function partsStatementCsv(s: PartsStatement): string {
  const rows = [CSV_COLUMNS.join(',')];
  for (const r of s.requisitions) {
    rows.push(...r.lines.map((l) => lineRow(r, l)));
    if (r.urgentFreightDifference !== null) rows.push(urgentFreightRow(r));
  }
  rows.push(totalRow(s.totals));
  return rows.join('\r\n') + '\r\n';
}
