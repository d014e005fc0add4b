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
  /** Example cell for the template's note row. */
  example?: string;
}

export interface FormDefinition {
  id: FormId;
  /** Sheet name in the template (the seeds' form name). */
  sheet: string;
  columns: FormColumn[];
}

const col = (key: string, zh: string, required = true, example?: string): FormColumn => ({
  key,
  zh,
  required,
  example,
});

export const REPORT_FORMS: readonly FormDefinition[] = [
  {
    id: 'sales',
    sheet: '每月销售统计表',
    columns: [col('outlet', '销售网点'), col('model', '产品型号'), col('units', '数量'), col('amount', '金额')],
  },
  {
    id: 'warranty-cards',
    sheet: '保修回执卡',
    columns: [
      col('serial', '机号'),
      col('model', '产品型号'),
      col('saleDate', '销售日期'),
      col('outlet', '销售网点', false),
      col('consumerName', '顾客姓名'),
      col('phone', '电话'),
      col('address', '地址'),
    ],
  },
  {
    id: 'repairs',
    sheet: '维修月报表',
    columns: [
      col('ticket', '维修单号'),
      col('serial', '机号'),
      col('model', '产品型号'),
      col('fault', '故障'),
      col('repairDate', '维修日期'),
      col('inWarranty', '保修期内'),
      col('consumerSigned', '顾客签字'),
      col('partNo', '零件号', false),
      col('quantity', '零件数量', false),
    ],
  },
  {
    id: 'parts-replaced',
    sheet: '每月零件更换清单',
    columns: [col('ticket', '维修单号'), col('partNo', '零件号'), col('quantity', '零件数量')],
  },
  {
    id: 'satisfaction',
    sheet: '顾客满意度调查统计表',
    columns: [col('surveyed', '调查数'), col('satisfied', '满意数')],
  },
  { id: 'opinions', sheet: '顾客意见统计表', columns: [col('kind', '意见类别'), col('count', '件数')] },
  {
    id: 'quality-feedback',
    sheet: '质量信息反馈单',
    columns: [col('model', '产品型号'), col('batch', '批号'), col('problem', '问题'), col('unitsAffected', '影响台数')],
  },
  { id: 'callbacks', sheet: '回访', columns: [col('callbacksMade', '回访数')] },
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
