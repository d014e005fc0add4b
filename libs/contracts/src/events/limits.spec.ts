import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { validatePayload } from '../event-definition';
import { DATE_REGEX } from './common';
import { ComplaintRecorded, MonthlyReportSubmitted, WarrantyCardsAccepted } from './dealers.events';
import { RequisitionApproved } from './requisitions.events';
import { ReturnClosed } from './returns.events';
import { DealerBalanceTallied, StatementPosted } from './settlement.events';

const report = {
  dealerCode: 'D001',
  month: '2026-01',
  part: 'SALES',
  partVersion: 1,
  firstSubmittedAt: '2026-02-01T00:00:00.000Z',
  dueAt: '2026-02-03T15:59:59.000Z',
  onTime: true,
  unitsSold: 12,
  surveyed: 10,
  satisfied: 9,
  repairs: 4,
  callbacks: 1,
  callbacksBelowMinimum: false,
};
const line = {
  lineId: randomUUID(),
  partNo: 'BP-01',
  partName: 'brake pad',
  quantity: 10,
  purpose: 'STOCK',
  listPrice: '12.50',
  costPrice: '8.00',
  amount: '125.00',
  chargeTo: 'ALLOWANCE',
};
const approval = {
  dealerCode: 'D001',
  requisitionId: randomUUID(),
  approvedOn: '2026-01-20',
  urgent: false,
  lines: [line],
  urgentFreightDifference: null,
};
const complaint = {
  dealerCode: 'D001',
  complaintId: randomUUID(),
  reference: 'CMP-1',
  date: '2026-02-14',
  amount: '1000.00',
  description: 'x',
};
const cards = {
  dealerCode: 'D001',
  reportMonth: '2026-01',
  batchId: randomUUID(),
  cards: [{ serial: 'EB100-000001', model: 'EB-100', saleDate: '2026-01-10', outlet: 'D001', flags: [] }],
};

const refuses = (def: Parameters<typeof validatePayload>[0], payload: object, field: string) => {
  const result = validatePayload(def, payload);
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.reason).toContain(`payload.${field}:`);
};

describe('event payloads hold the limits of the domain (DOMAIN §9)', () => {
  it('accepts facts at the limits', () => {
    expect(
      validatePayload(MonthlyReportSubmitted, {
        ...report,
        month: '2099-12',
        surveyed: 1_000_000,
        satisfied: 1_000_000,
        unitsSold: 2 ** 31,
      }).ok,
    ).toBe(true);
    expect(
      validatePayload(RequisitionApproved, {
        ...approval,
        approvedOn: '2000-01-01',
        lines: [{ ...line, quantity: 1_000_000, amount: '9999999999.99' }],
      }).ok,
    ).toBe(true);
    expect(validatePayload(ComplaintRecorded, { ...complaint, date: '2096-02-29', amount: '9999999999.99' }).ok).toBe(
      true,
    );
  });

  it('refuses months, dates and quarters outside 2000-01 … 2099-12 and dates that do not exist', () => {
    refuses(MonthlyReportSubmitted, { ...report, month: '0000-01' }, 'month');
    refuses(ComplaintRecorded, { ...complaint, date: '2026-02-30' }, 'date');
    refuses(ComplaintRecorded, { ...complaint, date: '2100-01-01' }, 'date');
    refuses(RequisitionApproved, { ...approval, approvedOn: '1999-12-31' }, 'approvedOn');
    refuses(
      DealerBalanceTallied,
      { dealerCode: 'D001', quarter: '0000-Q1', balance: '0.00', asOf: '2026-01-01T00:00:00Z' },
      'quarter',
    );
  });

  it('refuses amounts above 9,999,999,999.99 and counts above 1,000,000 per line', () => {
    refuses(ComplaintRecorded, { ...complaint, amount: '10000000000.00' }, 'amount');
    refuses(RequisitionApproved, { ...approval, lines: [{ ...line, quantity: 1_000_001 }] }, 'lines.0.quantity');
    refuses(
      ReturnClosed,
      {
        dealerCode: 'D001',
        returnId: randomUUID(),
        closedOn: '2026-03-01',
        returnClass: 'DOA',
        charges: [
          { ruleId: 'R-RET-4', kind: 'INBOUND_FREIGHT', payer: 'MANUFACTURER', amount: '999999999999.99', detail: 'x' },
        ],
      },
      'charges.0.amount',
    );
    refuses(MonthlyReportSubmitted, { ...report, surveyed: 2 ** 31, satisfied: 0 }, 'surveyed');
  });

  it('refuses identifiers with slashes, spaces or lower case', () => {
    refuses(
      WarrantyCardsAccepted,
      { ...cards, cards: [{ ...cards.cards[0], model: 'X../../HEALTH' }] },
      'cards.0.model',
    );
    refuses(WarrantyCardsAccepted, { ...cards, cards: [{ ...cards.cards[0], serial: 'eb 1' }] }, 'cards.0.serial');
    refuses(RequisitionApproved, { ...approval, lines: [{ ...line, partNo: 'X../../HEALTH' }] }, 'lines.0.partNo');
  });

  it('lets totals be wider than one fact', () => {
    const posted = {
      dealerCode: 'D001',
      quarter: '2026-Q1',
      statementId: randomUUID(),
      closing: '-19999999999999.98',
      carriedForward: '0.00',
      billedToDealer: '19999999999999.98',
      payableToDealer: '0.00',
      nextOpening: '0.00',
      postedAt: '2026-04-10T00:00:00Z',
    };
    expect(validatePayload(StatementPosted, posted).ok).toBe(true);
  });

  it('knows the calendar of 2000-2099', () => {
    const refused: string[] = [];
    for (let t = Date.UTC(2000, 0, 1); t < Date.UTC(2100, 0, 1); t += 86_400_000) {
      const day = new Date(t).toISOString().slice(0, 10);
      if (!DATE_REGEX.test(day)) refused.push(day);
    }
    expect(refused).toEqual([]);
    for (const bad of ['2100-02-29', '2001-02-29', '2026-04-31', '2026-00-10', '2026-01-00', '1999-12-31'])
      expect(DATE_REGEX.test(bad)).toBe(false);
  });
});
