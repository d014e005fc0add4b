import type { CanonicalLine } from '../statements/statement-rules';
import type { StatementWithLines } from '../statements/statements.repository';
import type { LedgerEntryView } from '../ledger/ledger.repository';
import { bilingual, bilingualValue } from './statement-labels';
import { readableSources, shanghaiIso } from './statement-format';

/** A statement as exported: with the dealer's name from settlement's dealer projection (null when unknown). */
export interface ExportedStatement extends StatementWithLines {
  dealerName: string | null;
}

/** money: two places; rate: rate or percent; int: a count; text: anything else. */
export type ColumnType = 'text' | 'int' | 'money' | 'rate';

/** One column of a spreadsheet or CSV export: its catalogue label, width in characters, type and value. */
export interface ExportColumn<T> {
  key: string;
  label: string;
  width: number;
  type: ColumnType;
  value: (row: T) => string | number | null;
}

export interface LineRow {
  s: ExportedStatement;
  l: CanonicalLine;
}

const dealerColumn = { key: 'dealer', label: 'dealer', width: 10, type: 'text' } as const;
const quarterColumn = { key: 'quarter', label: 'quarter', width: 10, type: 'text' } as const;
const yesNo = (b: boolean) => bilingual(b ? 'yes' : 'no');

/** The lines sheet and the statement CSV: one row per line, its sources as readable text. */
export const LINE_COLUMNS: ReadonlyArray<ExportColumn<LineRow>> = [
  { ...dealerColumn, value: (r) => r.s.dealerCode },
  { ...quarterColumn, value: (r) => r.s.quarter },
  { key: 'position', label: 'column.position', width: 8, type: 'int', value: (r) => r.l.position },
  { key: 'ruleId', label: 'column.rule', width: 11, type: 'text', value: (r) => r.l.ruleId },
  { key: 'kind', label: 'column.kind', width: 28, type: 'text', value: (r) => bilingualValue('kind', r.l.kind) },
  { key: 'period', label: 'column.period', width: 11, type: 'text', value: (r) => r.l.period },
  { key: 'description', label: 'column.description', width: 50, type: 'text', value: (r) => r.l.description },
  { key: 'quantity', label: 'column.quantity', width: 10, type: 'int', value: (r) => r.l.quantity },
  { key: 'rate', label: 'column.rate', width: 10, type: 'rate', value: (r) => r.l.rate },
  { key: 'base', label: 'column.base', width: 14, type: 'money', value: (r) => r.l.base },
  { key: 'percent', label: 'column.percent', width: 12, type: 'rate', value: (r) => r.l.percent },
  { key: 'amount', label: 'column.amount', width: 16, type: 'money', value: (r) => r.l.amount },
  { key: 'inBalance', label: 'column.inBalance', width: 12, type: 'text', value: (r) => yesNo(r.l.affectsBalance) },
  { key: 'sources', label: 'column.sources', width: 60, type: 'text', value: (r) => readableSources(r.l.sources) },
];

const money = (key: string, value: (s: ExportedStatement) => string): ExportColumn<ExportedStatement> => ({
  key,
  label: `column.${key}`,
  width: 16,
  type: 'money',
  value,
});

/** The statements sheet and the quarter CSV: one row per statement. */
export const STATEMENT_COLUMNS: ReadonlyArray<ExportColumn<ExportedStatement>> = [
  { ...dealerColumn, value: (s) => s.dealerCode },
  { key: 'dealerName', label: 'dealerName', width: 28, type: 'text', value: (s) => s.dealerName },
  { ...quarterColumn, value: (s) => s.quarter },
  { key: 'status', label: 'status', width: 14, type: 'text', value: (s) => bilingualValue('statusValue', s.status) },
  { key: 'mode', label: 'mode', width: 24, type: 'text', value: (s) => bilingualValue('modeValue', s.settlementMode) },
  money('opening', (s) => s.opening),
  money('accrual', (s) => s.totals.accrual),
  money('net', (s) => s.totals.net),
  money('closing', (s) => s.closing),
  money('invoiced', (s) => s.totals.invoiced),
  money('nextOpening', (s) => s.outcome.nextOpening),
  { key: 'id', label: 'column.statementId', width: 38, type: 'text', value: (s) => s.id },
  { key: 'hash', label: 'column.contentHash', width: 66, type: 'text', value: (s) => s.contentHash },
];

/** The ledger CSV for auditors: every posting with its time in Asia/Shanghai. */
export const LEDGER_COLUMNS: ReadonlyArray<ExportColumn<LedgerEntryView>> = [
  { key: 'id', label: 'column.entryId', width: 10, type: 'text', value: (e) => e.id },
  { key: 'statementId', label: 'column.statementId', width: 38, type: 'text', value: (e) => e.statementId },
  { ...dealerColumn, value: (e) => e.dealerCode },
  { ...quarterColumn, value: (e) => e.quarter },
  { key: 'account', label: 'column.account', width: 28, type: 'text', value: (e) => e.account },
  { key: 'debit', label: 'column.debit', width: 16, type: 'money', value: (e) => e.debit },
  { key: 'credit', label: 'column.credit', width: 16, type: 'money', value: (e) => e.credit },
  { key: 'memo', label: 'column.memo', width: 40, type: 'text', value: (e) => e.memo },
  { key: 'postedAt', label: 'column.postedAt', width: 26, type: 'text', value: (e) => shanghaiIso(e.postedAt) },
];

export const linesOf = (statements: readonly ExportedStatement[]): LineRow[] =>
  statements.flatMap((s) => s.lines.map((l) => ({ s, l })));
