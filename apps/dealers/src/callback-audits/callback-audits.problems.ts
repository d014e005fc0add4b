import { DomainError, notFoundProblem, ProblemException } from '@app/platform';

export const callbackAuditNotFoundProblem = (id: string): ProblemException =>
  notFoundProblem(`Callback audit ${id} was not found.`);

export const warrantyCardNotFoundProblem = (serial: string): ProblemException =>
  notFoundProblem(`Warranty card ${serial} was not found.`);

export class AuditAlreadyOpenProblem extends ProblemException {
  constructor(dealerCode: string, month: string, openId?: string) {
    super({
      status: 409,
      type: 'audit-already-open',
      code: 'AUDIT_ALREADY_OPEN',
      detail: `Dealer ${dealerCode} already has an open callback audit for ${month}${openId ? ` (${openId})` : ''}; close it before drawing another.`,
      ...(openId ? { extra: { openAuditId: openId } } : {}),
    });
  }
}

export class EmptyPopulationError extends DomainError {
  constructor(dealerCode: string, month: string) {
    super(
      'EMPTY_POPULATION',
      `Dealer ${dealerCode} has no accepted warranty cards for ${month}; there is nothing to sample.`,
      422,
    );
  }
}

export class AuditResultsMissingError extends DomainError {
  constructor(id: string, missing: string[]) {
    super(
      'AUDIT_RESULTS_MISSING',
      `Callback audit ${id} still has ${missing.length} sampled card(s) without a result.`,
      409,
      { serials: missing },
    );
  }
}
