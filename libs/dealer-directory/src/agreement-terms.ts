import { AgreementTerms, DEFAULT_AGREEMENT_TERMS, ModelRateTerm } from '@app/contracts';
import { isMoneyString, isRateString } from '@app/kernel';
import { fieldError } from '@app/platform/problem/field-error';

/** Seed defaults of DOMAIN §2, applied to any term the finance user leaves out. */
export const DEFAULT_TERMS = DEFAULT_AGREEMENT_TERMS;

export type AgreementTermsInput = Partial<Omit<AgreementTerms, 'partsCharging'>> &
  Pick<AgreementTerms, 'allowanceBasis' | 'settlementMode'> & {
    partsCharging?: Partial<AgreementTerms['partsCharging']>;
  };

export interface TermViolation {
  field: string;
  rule: string;
  message: string;
}

/**
 * R-AGR-1: completes the terms with the seed defaults and checks the rules that
 * tie terms together. Field-level formats are checked by the DTO before this.
 */
export function resolveAgreementTerms(input: AgreementTermsInput): {
  terms: AgreementTerms;
  violations: TermViolation[];
} {
  const terms: AgreementTerms = {
    ...DEFAULT_TERMS,
    ...stripUndefined(input),
    partsCharging: { ...DEFAULT_TERMS.partsCharging, ...(input.partsCharging ?? {}) },
    unitRate: input.unitRate ?? null,
    percent: input.percent ?? null,
    modelRates: (input.modelRates ?? []).map((r: ModelRateTerm) => ({ model: r.model, rate: r.rate })),
  } as AgreementTerms;
  const violations: TermViolation[] = [];

  if (terms.allowanceBasis === 'PER_CARD' && !isMoneyString(terms.unitRate)) {
    violations.push(fieldError('unitRate', 'R-AGR-1', 'validation.fields.unitRatePerCard'));
  }
  if (terms.allowanceBasis !== 'PER_CARD') {
    if (!isRateString(terms.percent)) {
      violations.push(
        fieldError('percent', 'R-AGR-1', 'validation.fields.percentRequired', { basis: terms.allowanceBasis }),
      );
    }
  }
  if (terms.fakeCardPolicy === 'PENALTY_MULTIPLE' && !isMoneyString(terms.unitRate)) {
    violations.push(fieldError('unitRate', 'R-AGR-1', 'validation.fields.unitRatePenalty'));
  }
  const seen = new Set<string>();
  terms.modelRates.forEach((r, i) => {
    if (seen.has(r.model))
      violations.push(
        fieldError(`modelRates[${i}].model`, 'R-AGR-1', 'validation.fields.modelListedTwice', { model: r.model }),
      );
    seen.add(r.model);
  });
  return { terms, violations: dedupe(violations) };
}

/** R-AGR-1: an agreement takes effect on the first day of a month. */
export function isFirstDayOfMonth(date: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])-01$/.test(date);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function dedupe(v: TermViolation[]): TermViolation[] {
  const keys = new Set<string>();
  return v.filter((x) => (keys.has(x.field + x.message) ? false : (keys.add(x.field + x.message), true)));
}
