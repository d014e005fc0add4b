/**
 * The manufacturer's standard forms (DOMAIN §3, seeds) as sheets of one workbook or CSV
 * files: the Chinese form name with an English alias, and each column headed
 * "中文 / english". Pure data and look-ups, no I/O (R-REP-3).
 */

export type FormId =
  | 'sales'
  | 'warranty-cards'
  | 'repairs'
  | 'parts-replaced'
  | 'satisfaction'
  | 'opinions'
  | 'quality-feedback'
  | 'callbacks';

export interface FormColumn {
  key: string;
  zh: string;
  required: boolean;
  /** The cell of the template's example row. */
  example: string | number;
}

export interface FormDefinition {
  id: FormId;
  /** Sheet name in the template (the seeds' form name). */
  sheet: string;
  columns: FormColumn[];
}

const col = (key: string, zh: string, required: boolean, example: string | number): FormColumn => ({
  key,
  zh,
  required,
  example,
});

export const REPORT_FORMS: readonly FormDefinition[] = [
  {
    id: 'sales',
    sheet: '每月销售统计表',
    columns: [
      col('outlet', '销售网点', true, 'D001'),
      col('model', '产品型号', true, 'EB-100'),
      col('units', '数量', true, 12),
      col('amount', '金额', true, '23988.00'),
    ],
  },
  {
    id: 'warranty-cards',
    sheet: '保修回执卡',
    columns: [
      col('serial', '机号', true, 'EB100-2026-000001'),
      col('model', '产品型号', true, 'EB-100'),
      col('saleDate', '销售日期', true, '2026年1月9日'),
      col('outlet', '销售网点', false, 'D001'),
      col('consumerName', '顾客姓名', true, '张三'),
      col('phone', '电话', true, '13800138000'),
      col('address', '地址', true, '上海市浦东新区世纪大道 100 号'),
    ],
  },
  {
    id: 'repairs',
    sheet: '维修月报表',
    columns: [
      col('ticket', '维修单号', true, 'R-2026-0001'),
      col('serial', '机号', true, 'EB100-2026-000001'),
      col('model', '产品型号', true, 'EB-100'),
      col('fault', '故障', true, '不开机'),
      col('repairDate', '维修日期', true, '2026/1/15'),
      col('inWarranty', '保修期内', true, '是'),
      col('consumerSigned', '顾客签字', true, '是'),
      col('partNo', '零件号', false, 'P-1001'),
      col('quantity', '零件数量', false, 1),
    ],
  },
  {
    id: 'parts-replaced',
    sheet: '每月零件更换清单',
    columns: [
      col('ticket', '维修单号', true, 'R-2026-0001'),
      col('partNo', '零件号', true, 'P-1002'),
      col('quantity', '零件数量', true, 2),
    ],
  },
  {
    id: 'satisfaction',
    sheet: '顾客满意度调查统计表',
    columns: [col('surveyed', '调查数', true, 50), col('satisfied', '满意数', true, 48)],
  },
  {
    id: 'opinions',
    sheet: '顾客意见统计表',
    columns: [col('kind', '意见类别', true, '服务态度'), col('count', '件数', true, 2)],
  },
  {
    id: 'quality-feedback',
    sheet: '质量信息反馈单',
    columns: [
      col('model', '产品型号', true, 'EB-100'),
      col('batch', '批号', true, 'B2601'),
      col('problem', '问题', true, '电源板烧毁'),
      col('unitsAffected', '影响台数', true, 3),
    ],
  },
  { id: 'callbacks', sheet: '回访', columns: [col('callbacksMade', '回访数', true, 5)] },
];

/** Header text of a column in the template: `产品型号 / model`. */
export function columnHeader(c: FormColumn): string {
  return `${c.zh} / ${c.key}`;
}

const squash = (s: string) => s.replace(/\s+/g, '').toLowerCase();

/** The form a sheet or CSV file name (without extension) stands for: Chinese name or English alias. */
export function formForName(name: string): FormDefinition | undefined {
  const n = squash(name);
  return REPORT_FORMS.find((f) => squash(f.sheet) === n || f.id === n || squash(`${f.sheet}/${f.id}`) === n);
}

/**
 * Maps a header row to column keys: a header may be `中文 / english`, the Chinese or the English
 * name alone (any case, spaces ignored). Returns position → key and the required columns missing.
 */
export function mapHeader(
  form: FormDefinition,
  header: readonly unknown[],
): { keys: Map<number, string>; missing: FormColumn[] } {
  const keys = new Map<number, string>();
  header.forEach((cell, i) => {
    if (cell === null || cell === undefined) return;
    const h = squash(String(cell));
    const c = form.columns.find(
      (c) => h === squash(c.zh) || h === c.key.toLowerCase() || h === squash(columnHeader(c)),
    );
    if (c && ![...keys.values()].includes(c.key)) keys.set(i, c.key);
  });
  const present = new Set(keys.values());
  return { keys, missing: form.columns.filter((c) => c.required && !present.has(c.key)) };
}

/** Sheets of the template that are not forms: read by people, skipped on upload without a mention. */
export const TEMPLATE_SHEETS = { instructions: '填写说明 Instructions', lists: '选项 Lists' } as const;

export function isTemplateSheet(name: string): boolean {
  return Object.values(TEMPLATE_SHEETS).some((s) => squash(s) === squash(name));
}

/**
 * The template's example row carries this mark in the cell after its last column; the row right
 * under the header with it is skipped on upload, so a sheet left with only its example row counts
 * as not filled in.
 */
export const EXAMPLE_ROW_MARK = '← 示例行，上传时忽略 / example row, ignored on upload';

export function isExampleRowMark(cell: unknown): boolean {
  return typeof cell === 'string' && squash(cell) === squash(EXAMPLE_ROW_MARK);
}
