import { formForName, mapHeader, REPORT_FORMS } from './report-forms';
import {
  applyReplacedPartRows,
  boolCell,
  dateCell,
  moneyCell,
  parseCallbackRows,
  parseOpinionRows,
  parseQualityFeedbackRows,
  parseRepairRows,
  parseSalesRows,
  parseSatisfactionRows,
  SheetRow,
  warrantyCardRows,
} from './row-parsers';

const rows = (...cells: Array<Record<string, unknown>>): SheetRow[] =>
  cells.map((c, i) => ({ row: i + 2, cells: c as SheetRow['cells'] }));

describe('R-REP-3 forms and headers', () => {
  it('R-REP-3 finds a form by its Chinese name or English alias', () => {
    expect(formForName('每月销售统计表')?.id).toBe('sales');
    expect(formForName(' Sales ')?.id).toBe('sales');
    expect(formForName('保修回执卡')?.id).toBe('warranty-cards');
    expect(formForName('每月零件更换清单')?.id).toBe('parts-replaced');
    expect(formForName('quality-feedback')?.id).toBe('quality-feedback');
    expect(formForName('Sheet1')).toBeUndefined();
  });

  it('R-REP-3 reads headers in Chinese, English or both, and names the required columns missing', () => {
    const sales = REPORT_FORMS.find((f) => f.id === 'sales')!;
    const { keys, missing } = mapHeader(sales, ['产品型号 / model', 'OUTLET', '数量', null]);
    expect([...keys.entries()]).toEqual([
      [0, 'model'],
      [1, 'outlet'],
      [2, 'units'],
    ]);
    expect(missing.map((c) => c.key)).toEqual(['amount']);
  });
});

describe('R-REP-3 cell readers', () => {
  it('R-REP-3 amounts: two places at most, thousands separators allowed, never negative', () => {
    expect(moneyCell(1999.5)).toEqual({ ok: true, value: '1999.50' });
    expect(moneyCell('1,999.00')).toEqual({ ok: true, value: '1999.00' });
    expect(moneyCell('19.999').ok).toBe(false);
    expect(moneyCell('-5').ok).toBe(false);
    expect(moneyCell('abc').ok).toBe(false);
  });

  it('R-REP-3 dates: date cells and YYYY-MM-DD or YYYY/M/D text; not impossible dates', () => {
    expect(dateCell(new Date(Date.UTC(2026, 0, 15)))).toEqual({ ok: true, value: '2026-01-15' });
    expect(dateCell('2026/1/5')).toEqual({ ok: true, value: '2026-01-05' });
    expect(dateCell('2026-02-30').ok).toBe(false);
    expect(dateCell('15.01.2026').ok).toBe(false);
  });

  it('R-REP-3 yes/no in Chinese or English', () => {
    expect(boolCell('是')).toEqual({ ok: true, value: true });
    expect(boolCell('N')).toEqual({ ok: true, value: false });
    expect(boolCell(true)).toEqual({ ok: true, value: true });
    expect(boolCell('maybe').ok).toBe(false);
  });
});

describe('R-REP-3 row parsers keep good rows and name every bad one', () => {
  it('R-REP-3 sales: a bad row is reported with its row and column, the good rows are kept', () => {
    const r = parseSalesRows(
      '每月销售统计表',
      rows(
        { outlet: 'd001', model: 'eb-100', units: 3, amount: 5997 },
        { outlet: 'D001', model: 'EB-200', units: 'three', amount: '10.001' },
        { outlet: 'S01', model: 'EB-200', units: '2', amount: '3998.00' },
      ),
    );
    expect(r.content).toEqual({
      lines: [
        { outlet: 'D001', model: 'EB-100', units: 3, amount: '5997.00' },
        { outlet: 'S01', model: 'EB-200', units: 2, amount: '3998.00' },
      ],
    });
    expect(r.errors).toEqual([
      { sheet: '每月销售统计表', row: 3, column: 'units', rule: 'isInt', reason: 'units must be a whole number' },
      expect.objectContaining({ row: 3, column: 'amount', rule: 'money' }),
    ]);
    expect(r.accepted).toBe(2);
  });

  it('R-REP-3 a form whose every row is bad submits nothing', () => {
    const r = parseSalesRows('sales.csv', rows({ outlet: 'D001', model: null, units: 1, amount: 1 }));
    expect(r.content).toBeNull();
    expect(r.errors).toEqual([
      { sheet: 'sales.csv', row: 2, column: 'model', rule: 'required', reason: 'model is required' },
    ]);
  });

  it('R-REP-3 repairs: parts as columns, a repeated ticket adds a part, dates outside the month are rejected', () => {
    const base = {
      serial: 'sn-1',
      model: 'EB-100',
      fault: '不开机',
      repairDate: '2026-01-10',
      inWarranty: '是',
      consumerSigned: '是',
    };
    const r = parseRepairRows(
      '维修月报表',
      rows(
        { ticket: 'T1', ...base, partNo: 'p-1', quantity: 2 },
        { ticket: 'T1', partNo: 'P-2', quantity: 1 },
        { ticket: 'T2', ...base, repairDate: '2026-02-01' },
        { ticket: 'T1', ...base, fault: '其他', partNo: 'P-3', quantity: 1 },
        { ticket: 'T3', ...base, inWarranty: '否', partNo: 'P-4' },
      ),
      '2026-01',
    );
    expect(r.content?.records).toEqual([
      {
        ticket: 'T1',
        ...base,
        serial: 'SN-1',
        inWarranty: true,
        consumerSigned: true,
        parts: [
          { partNo: 'P-1', quantity: 2 },
          { partNo: 'P-2', quantity: 1 },
        ],
      },
    ]);
    expect(r.errors.map((e) => [e.row, e.column])).toEqual([
      [4, 'repairDate'],
      [5, 'fault'],
      [6, 'quantity'],
    ]);
  });

  it('R-REP-3 parts-replaced rows attach to the tickets of the repairs', () => {
    const repairs = {
      records: [
        {
          ticket: 'T1',
          serial: 'S',
          model: 'M',
          fault: 'f',
          repairDate: '2026-01-02',
          inWarranty: true,
          parts: [],
          consumerSigned: true,
        },
      ],
    };
    const r = applyReplacedPartRows(
      '每月零件更换清单',
      rows({ ticket: 'T1', partNo: 'P-9', quantity: 3 }, { ticket: 'T9', partNo: 'P-1', quantity: 1 }),
      repairs,
    );
    expect(repairs.records[0].parts).toEqual([{ partNo: 'P-9', quantity: 3 }]);
    expect(r.errors).toEqual([expect.objectContaining({ row: 3, column: 'ticket' })]);
  });

  it('R-REP-3 satisfaction rows are summed; satisfied above surveyed is rejected', () => {
    const r = parseSatisfactionRows(
      '顾客满意度调查统计表',
      rows({ surveyed: 10, satisfied: 9 }, { surveyed: 5, satisfied: 6 }, { surveyed: '5', satisfied: '5' }),
    );
    expect(r.content).toEqual({ surveyed: 15, satisfied: 14 });
    expect(r.errors).toEqual([expect.objectContaining({ row: 3, column: 'satisfied' })]);
  });

  it('R-REP-3 opinions once per kind; quality feedback and callbacks', () => {
    const o = parseOpinionRows(
      'opinions',
      rows({ kind: '服务态度', count: 2 }, { kind: '服务态度', count: 1 }, { kind: '价格', count: -1 }),
    );
    expect(o.content).toEqual({ lines: [{ kind: '服务态度', count: 2 }] });
    expect(o.errors.map((e) => [e.row, e.column])).toEqual([
      [3, 'kind'],
      [4, 'count'],
    ]);
    const q = parseQualityFeedbackRows(
      'qf',
      rows(
        { model: 'eb-100', batch: 'B1', problem: '漏电', unitsAffected: 3 },
        { model: 'EB-100', batch: 'B2', problem: null, unitsAffected: 1 },
      ),
    );
    expect(q.content).toEqual({ lines: [{ model: 'EB-100', batch: 'B1', problem: '漏电', unitsAffected: 3 }] });
    expect(q.errors).toEqual([expect.objectContaining({ row: 3, column: 'problem' })]);
    const c = parseCallbackRows('回访', rows({ callbacksMade: 2 }, { callbacksMade: '1' }, { callbacksMade: 'x' }));
    expect(c.content).toEqual({ callbacksMade: 3 });
    expect(c.errors).toEqual([expect.objectContaining({ row: 4, column: 'callbacksMade' })]);
  });

  it("R-REP-3 warranty-card rows become the card API's text fields with their row numbers", () => {
    expect(
      warrantyCardRows(
        rows({
          serial: 'SN-1',
          model: 'EB-100',
          saleDate: new Date(Date.UTC(2026, 0, 9)),
          outlet: null,
          consumerName: '张三',
          phone: 13800138000,
          address: '上海',
        }),
      ),
    ).toEqual([
      {
        row: 2,
        card: {
          serial: 'SN-1',
          model: 'EB-100',
          saleDate: '2026-01-09',
          consumerName: '张三',
          phone: '13800138000',
          address: '上海',
        },
      },
    ]);
  });
});

describe('R-REP-3 cells hold the limits of the domain (DOMAIN §9)', () => {
  it('counts above 1,000,000, dates outside 2000 … 2099, codes with slashes and NUL characters are rejected per row', () => {
    const r = parseSalesRows(
      'sales.csv',
      rows(
        { outlet: 'D001', model: 'EB-100', units: 1_000_001, amount: 1 },
        { outlet: 'D001', model: 'X/Y', units: 1, amount: 1 },
        { outlet: 'D 1', model: 'EB-100', units: 1, amount: 1 },
        { outlet: 'D001', model: 'EB-100', units: 1_000_000, amount: '9999999999.99' },
      ),
    );
    expect(r.errors.map((e) => [e.row, e.column])).toEqual([
      [2, 'units'],
      [3, 'model'],
      [4, 'outlet'],
    ]);
    expect(r.accepted).toBe(1);
    expect(dateCell('0000-01-01').ok).toBe(false);
    expect(dateCell('2100-01-01').ok).toBe(false);
    const opinions = parseOpinionRows('opinions.csv', rows({ kind: 'a\u0000b', count: 1 }));
    expect(opinions.errors).toEqual([expect.objectContaining({ row: 2, column: 'kind' })]);
  });

  it('sums over rows stay within one count', () => {
    const r = parseCallbackRows('callbacks.csv', rows({ callbacksMade: 1_000_000 }, { callbacksMade: 1 }));
    expect(r.content).toEqual({ callbacksMade: 1_000_000 });
    expect(r.errors).toEqual([expect.objectContaining({ row: 3, column: 'callbacksMade' })]);
  });
});
