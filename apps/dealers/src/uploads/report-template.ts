import ExcelJS from 'exceljs';
import {
  columnHeader,
  EXAMPLE_ROW_MARK,
  FormColumn,
  FormDefinition,
  REPORT_FORMS,
  TEMPLATE_SHEETS,
} from './report-forms';

/** What the template's drop-down lists offer: the dealer's outlets and the models it may report. */
export interface TemplateLists {
  /** The dealer the template is made for, or null (a template for any dealer: no outlet list). */
  dealerCode: string | null;
  /** The dealer itself and its sub-distributors (R-CARD-1 UNKNOWN_OUTLET). */
  outlets: readonly string[];
  /** The product catalogue's models (R-CARD-1 UNKNOWN_MODEL). */
  models: readonly string[];
}

/**
 * Rows under the header that carry the drop-down lists (from the example row on). Enough for a
 * month of most dealers; rows past them take the same values without a list. Not every possible
 * line (MAX_REPORT_LINES): exceljs, which dealers' own software may use too, expands a range
 * into one entry per cell on reading, and writing 20,000 × 6 of them back takes seconds.
 */
const LIST_ROWS = 2000;
const EXAMPLE_STYLE: Partial<ExcelJS.Style> = {
  font: { italic: true, color: { argb: 'FF808080' } },
  fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } },
};

/** exceljs writes range validations but its typings leave `dataValidations` out. */
type WithValidations = { dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void } };

const INSTRUCTIONS: ReadonlyArray<[zh: string, en: string]> = [
  ['每张工作表是一张表单；第 1 行是表头，请勿修改。', 'Each sheet is one form; row 1 is its header, keep it as it is.'],
  [
    '第 2 行（灰色斜体，末尾标有"示例行"）是示例，上传时忽略；请从第 3 行起填写，也可删除示例行。',
    'Row 2 (grey italics, marked "example row" at its end) is an example, ignored on upload; fill in from row 3, or delete the example row.',
  ],
  [
    '只剩示例行的表单视为未填写，不提交；整个文件都未填写时上传被拒绝（422 NO_DATA_ROWS），不保存任何内容。',
    'A sheet with only its example row is not filled in and submits nothing; an upload with nothing filled in is refused (422 NO_DATA_ROWS) and stores nothing.',
  ],
  [
    '本月无销售：删除"每月销售统计表"的示例行，只保留表头上传，月报即以零条销售提交（R-REP-4 不计为未提交）。',
    'No sales this month: delete the example row of 每月销售统计表 and upload its header alone; the report is submitted with zero sales lines (not a missed month under R-REP-4).',
  ],
  [
    '其他表单无内容时保留示例行或删除该工作表；已提交的版本不会被空表覆盖。',
    'Other forms with nothing to report: keep the example row or delete the sheet; a version already submitted is not replaced by an empty one.',
  ],
  [
    '日期可写作 2026-09-03、2026/9/3、2026.9.3、2026年9月3日，或使用 Excel 日期单元格。',
    'Dates: 2026-09-03, 2026/9/3, 2026.9.3, 2026年9月3日, or an Excel date cell.',
  ],
  [
    '是/否列填写：是、否（或 Y、N）。金额最多两位小数，如 1999.00。',
    'Yes/no columns: 是 or 否 (or Y, N). Amounts: at most 2 decimal places, e.g. 1999.00.',
  ],
  [
    '前 2000 行的销售网点、产品型号、是/否可从下拉列表选择（本经销商及其分销商；产品目录）。',
    'Outlet, model and yes/no cells offer drop-down lists in the first 2,000 rows (this dealer and its sub-distributors; the product catalogue).',
  ],
  [
    '有错误的行单独拒绝，其他行照常保存；回复列出每一行的全部错误（工作表、行号、列、规则）。',
    'A bad row is refused on its own and the good rows are stored; the answer lists every error of every row (sheet, row, column, rule).',
  ],
  [
    '上传：POST /v1/dealers/{code}/reports/{month}/upload（multipart/form-data），本工作簿或以表单命名的 UTF-8 CSV 文件（sales.csv、每月销售统计表.csv…）。',
    'Upload: POST /v1/dealers/{code}/reports/{month}/upload (multipart/form-data), this workbook or UTF-8 CSV files named after the forms (sales.csv, 每月销售统计表.csv…).',
  ],
];

/** The instructions sheet, bilingual: how to fill in, then every form's columns with an example. */
function addInstructions(wb: ExcelJS.Workbook, lists: TemplateLists): void {
  const ws = wb.addWorksheet(TEMPLATE_SHEETS.instructions);
  ws.columns = [{ width: 24 }, { width: 70 }, { width: 70 }, { width: 26 }];
  ws.addRow(['月报上传模板 填写说明', 'Monthly report upload template: instructions']).font = { bold: true, size: 14 };
  if (lists.dealerCode) ws.addRow(['经销商 / dealer', lists.dealerCode]);
  ws.addRow([]);
  INSTRUCTIONS.forEach(([zh, en], i) => {
    ws.addRow([`${i + 1}`, zh, en]).alignment = { wrapText: true, vertical: 'top' };
  });
  ws.addRow([]);
  ws.addRow(['表单 / form', '列 / column', '必填 / required', '示例 / example']).font = { bold: true };
  for (const form of REPORT_FORMS) {
    for (const c of form.columns) {
      ws.addRow([
        `${form.sheet} / ${form.id}`,
        columnHeader(c),
        c.required ? '必填 / required' : '可选 / optional',
        c.example,
      ]);
    }
  }
}

/** The hidden sheet the drop-down lists read from: outlets in A, models in B (under a header). */
function addLists(wb: ExcelJS.Workbook, lists: TemplateLists): void {
  const ws = wb.addWorksheet(TEMPLATE_SHEETS.lists, { state: 'hidden' });
  ws.getColumn(1).values = ['销售网点 / outlet', ...lists.outlets];
  ws.getColumn(2).values = ['产品型号 / model', ...lists.models];
}

/** Each listed column's source: a range of the lists sheet, or yes/no in place. */
function listSources(lists: TemplateLists): Record<string, string | undefined> {
  const ref = (col: string, n: number) => (n > 0 ? `'${TEMPLATE_SHEETS.lists}'!$${col}$2:$${col}$${n + 1}` : undefined);
  return {
    outlet: ref('A', lists.outlets.length),
    model: ref('B', lists.models.length),
    inWarranty: '"是,否"',
    consumerSigned: '"是,否"',
  };
}

/** The example row's value of a column: the dealer's own outlet and a catalogue model when known. */
function exampleValue(c: FormColumn, lists: TemplateLists): string | number {
  if (c.key === 'outlet') return lists.dealerCode ?? c.example;
  if (c.key === 'model') return lists.models[0] ?? c.example;
  return c.example;
}

function addForm(
  wb: ExcelJS.Workbook,
  form: FormDefinition,
  lists: TemplateLists,
  listOf: Record<string, string | undefined>,
): void {
  const ws = wb.addWorksheet(form.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [
    ...form.columns.map((c) => ({
      header: columnHeader(c),
      key: c.key,
      width: Math.max(14, columnHeader(c).length + 6),
    })),
    { width: 44 },
  ];
  const header = ws.getRow(1);
  header.font = { bold: true };
  form.columns.forEach((c, i) => {
    if (!c.required) header.getCell(i + 1).note = '可选 / optional';
  });
  const example = ws.addRow([...form.columns.map((c) => exampleValue(c, lists)), EXAMPLE_ROW_MARK]);
  example.eachCell((cell) => (cell.style = EXAMPLE_STYLE));
  form.columns.forEach((c, i) => {
    const list = listOf[c.key];
    if (!list) return;
    const column = ws.getColumn(i + 1).letter;
    (ws as unknown as WithValidations).dataValidations.add(`${column}2:${column}${LIST_ROWS + 1}`, {
      type: 'list',
      allowBlank: true,
      formulae: [list],
      showErrorMessage: true,
      errorStyle: 'warning',
      errorTitle: '不在列表中 / not in the list',
      error: '请从列表中选择 / pick a value from the list',
    });
  });
}

/**
 * The upload template (R-REP-3): an instructions sheet (Chinese and English), then one sheet
 * per form named as on the manufacturer's paper forms, with a header row in Chinese and English
 * (`产品型号 / model`), a marked example row that the upload skips, and drop-down lists of the
 * dealer's outlets, the catalogue's models and yes/no. Row 1 is the header; dealers fill from row 3.
 */
export async function buildReportTemplate(lists: TemplateLists): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'dealers service';
  addInstructions(wb, lists);
  const sources = listSources(lists);
  for (const form of REPORT_FORMS) addForm(wb, form, lists, sources);
  addLists(wb, lists);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
