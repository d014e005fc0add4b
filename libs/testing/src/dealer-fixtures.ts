import type { AgreementTerms } from '@app/contracts';
import { DEFAULT_AGREEMENT_TERMS, Topics } from '@app/contracts';
import request from 'supertest';
import { KafkaProbe } from './kafka-probe';
import { bearer, eventually, RunningService } from './service-harness';

/**
 * The agreement terms of DOMAIN §8 that most tests stand on. Overrides are not checked: a limit
 * test passes values the services must refuse.
 */
export function agreementTerms(overrides: Record<string, unknown> = {}): AgreementTerms {
  return {
    allowanceBasis: 'PER_CARD',
    unitRate: '15.00',
    modelRates: [],
    percent: null,
    settlementMode: 'FUND_CARRY_OVER',
    ...DEFAULT_AGREEMENT_TERMS,
    ...overrides,
  } as AgreementTerms;
}

/** The DealerRegistered payload the dealers service publishes for a dealer without a region. */
export function dealerRegisteredPayload(code: string, overrides: Record<string, unknown> = {}) {
  return { code, name: `Dealer ${code}`, region: null, status: 'ACTIVE', ...overrides };
}

/** A dealer as the consuming services learn it: registration and its first agreement version. */
export interface SeededDealer {
  code: string;
  /** Default `agreementTerms()`. */
  terms?: AgreementTerms;
  /** Default 2026-01-01. */
  effectiveFrom?: string;
}

/** Publishes DealerRegistered and AgreementVersionSet (version 1) of each dealer on the dealer registry topic. */
export async function publishDealers(probe: KafkaProbe, dealers: SeededDealer[]): Promise<void> {
  for (const { code, terms = agreementTerms(), effectiveFrom = '2026-01-01' } of dealers) {
    await probe.publishEvent(Topics.dealerRegistry, 'DealerRegistered', code, dealerRegisteredPayload(code));
    await probe.publishEvent(Topics.dealerRegistry, 'AgreementVersionSet', code, {
      dealerCode: code,
      version: 1,
      effectiveFrom,
      terms,
    });
  }
}

/** Waits until the service's dealer directory holds one agreement of each dealer. */
export async function untilAgreementsKnown(svc: RunningService, codes: string[]): Promise<void> {
  const reader = bearer('finance');
  for (const code of codes) {
    await eventually(async () => {
      const res = await request(svc.url).get(`/v1/dealer-directory/${code}`).set(reader);
      return res.status === 200 && res.body.agreements.length === 1 ? true : undefined;
    }, 60_000);
  }
}

/** The usual opening of a consuming service's test: its dealers published, and known to it. */
export async function seedDealers(
  stack: { svc: RunningService; probe: KafkaProbe },
  dealers: SeededDealer[],
): Promise<void> {
  await publishDealers(stack.probe, dealers);
  await untilAgreementsKnown(
    stack.svc,
    dealers.map((d) => d.code),
  );
}

/** The dealers API body registering D001 (上海永安车行, 华东) or, with overrides, another dealer. */
export function dealerRegistration(overrides: Record<string, unknown> = {}) {
  return { code: 'D001', name: '上海永安车行', region: '华东', ...overrides };
}

/** The dealers API body of a PER_CARD agreement from January 2026; the service fills the other terms. */
export function agreementRequest(overrides: Record<string, unknown> = {}) {
  return {
    effectiveFrom: '2026-01-01',
    allowanceBasis: 'PER_CARD',
    unitRate: '15.00',
    settlementMode: 'FUND_CARRY_OVER',
    ...overrides,
  };
}

/** The terms of the worked example (DOMAIN §8): the usual terms with a rate of its own for EB-200. */
export function workedExampleTerms(overrides: Record<string, unknown> = {}): AgreementTerms {
  return agreementTerms({ modelRates: [{ model: 'EB-200', rate: '20.00' }], ...overrides });
}
