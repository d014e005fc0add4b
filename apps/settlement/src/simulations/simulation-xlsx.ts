import ExcelJS from 'exceljs';
import type { ExportColumn } from '../exports/statement-columns';
import { bilingualValue } from '../exports/statement-labels';
import { addSheet } from '../exports/statement-xlsx';
import type { ChangedLine } from './simulation-rules';
import type { QuarterTotals, SimulationRecord, SimulationResult } from './simulations.repository';

type LineRow = { r: SimulationResult; l: ChangedLine };

const S = 'simulation.';

const TOTAL_COLUMNS: ReadonlyArray<ExportColumn<QuarterTotals>> = [
  { key: 'quarter', label: `${S}quarter`, width: 10, type: 'text', value: (t) => t.quarter },
  { key: 'dealers', label: `${S}dealers`, width: 10, type: 'int', value: (t) => t.dealers },
  { key: 'without', label: `${S}withoutStatement`, width: 14, type: 'int', value: (t) => t.dealersWithoutStatement },
  { key: 'changed', label: `${S}changed`, width: 10, type: 'int', value: (t) => t.dealersChanged },
  { key: 'actual', label: `${S}actualClosing`, width: 18, type: 'money', value: (t) => t.actualClosing },
  { key: 'simulated', label: `${S}simulatedClosing`, width: 18, type: 'money', value: (t) => t.simulatedClosing },
  { key: 'difference', label: `${S}difference`, width: 16, type: 'money', value: (t) => t.difference },
];

const RESULT_COLUMNS: ReadonlyArray<ExportColumn<SimulationResult>> = [
  { key: 'dealer', label: `${S}dealer`, width: 10, type: 'text', value: (r) => r.dealerCode },
  { key: 'quarter', label: `${S}quarter`, width: 10, type: 'text', value: (r) => r.quarter },
  {
    key: 'status',
    label: `${S}statementStatus`,
    width: 14,
    type: 'text',
    value: (r) => (r.statementStatus ? bilingualValue('statusValue', r.statementStatus) : null),
  },
  { key: 'actual', label: `${S}actualClosing`, width: 18, type: 'money', value: (r) => r.actualClosing },
  { key: 'opening', label: `${S}simulatedOpening`, width: 18, type: 'money', value: (r) => r.simulatedOpening },
  { key: 'simulated', label: `${S}simulatedClosing`, width: 18, type: 'money', value: (r) => r.simulatedClosing },
  { key: 'difference', label: `${S}difference`, width: 16, type: 'money', value: (r) => r.difference },
];

const LINE_COLUMNS: ReadonlyArray<ExportColumn<LineRow>> = [
  { key: 'dealer', label: `${S}dealer`, width: 10, type: 'text', value: (x) => x.r.dealerCode },
  { key: 'quarter', label: `${S}quarter`, width: 10, type: 'text', value: (x) => x.r.quarter },
  { key: 'rule', label: `${S}rule`, width: 11, type: 'text', value: (x) => x.l.ruleId },
  { key: 'kind', label: `${S}kind`, width: 28, type: 'text', value: (x) => bilingualValue('kind', x.l.kind) },
  { key: 'period', label: `${S}period`, width: 10, type: 'text', value: (x) => x.l.period },
  { key: 'description', label: `${S}description`, width: 48, type: 'text', value: (x) => x.l.description },
  { key: 'actual', label: `${S}actualAmount`, width: 16, type: 'money', value: (x) => x.l.actualAmount },
  { key: 'simulated', label: `${S}simulatedAmount`, width: 16, type: 'money', value: (x) => x.l.simulatedAmount },
  { key: 'difference', label: `${S}difference`, width: 16, type: 'money', value: (x) => x.l.difference },
];

/** A simulation in a workbook with bilingual headers: totals by quarter, every dealer and quarter, every changed line. */
export async function simulationXlsx(
  simulation: SimulationRecord,
  totals: readonly QuarterTotals[],
  results: readonly SimulationResult[],
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'settlement';
  wb.subject = `simulation ${simulation.id} ${simulation.fromQuarter}..${simulation.toQuarter}`;
  const all = { label: `${S}total`, counted: () => true };
  addSheet(wb, `${S}sheetTotals`, TOTAL_COLUMNS, totals, all);
  addSheet(wb, `${S}sheetResults`, RESULT_COLUMNS, results, all);
  const lines = results.flatMap((r) => r.changedLines.map((l) => ({ r, l })));
  addSheet(wb, `${S}sheetLines`, LINE_COLUMNS, lines, all);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
