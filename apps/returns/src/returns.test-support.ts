import request from 'supertest';
import { eventually, RunningService } from '@app/testing';

/** Agreement terms for the integration tests of this service (DOMAIN §2), with `over` replacing some. */
export const agreementTerms = (over: Record<string, unknown> = {}) => ({
  allowanceBasis: 'PER_CARD',
  unitRate: '15.00',
  modelRates: [],
  percent: null,
  settlementMode: 'FUND_CARRY_OVER',
  partsCharging: { warranty: 'ALLOWANCE', stock: 'ALLOWANCE' },
  oldPartReturnDays: 30,
  reportDueDay: 3,
  warrantyMonths: 12,
  doaDays: 7,
  qualityDays: 15,
  complaintPenalty: '1000.00',
  violationPenalty: '5000.00',
  fakeCardPolicy: 'PENALTY_MULTIPLE',
  fakeCardMultiple: 10,
  missedReportStreak: 3,
  missedReportPenaltyPercent: '10.0000',
  excellenceAwardPercent: '50.0000',
  disputeMonths: 3,
  ...over,
});

/** Waits until the service's dealer directory shows `count` agreement version(s) of the dealer. */
export const untilAgreementsKnown = (
  svc: RunningService,
  reader: { Authorization: string },
  dealer: string,
  count = 1,
): Promise<true> =>
  eventually(async () => {
    const res = await request(svc.url).get(`/v1/dealer-directory/${dealer}`).set(reader);
    return res.status === 200 && res.body.agreements.length === count ? true : undefined;
  }, 60_000);
