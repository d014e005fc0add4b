import { DomainError, notFoundProblem, problemText, ProblemException } from '@app/platform';

export const callbackAuditNotFoundProblem = (id: string): ProblemException =>
  notFoundProblem(problemText('callbackAuditNotFound', { id }));

export const warrantyCardNotFoundProblem = (serial: string): ProblemException =>
  notFoundProblem(problemText('warrantyCardNotFound', { serial }));

export class AuditAlreadyOpenProblem extends ProblemException {
  constructor(dealerCode: string, month: string, openId?: string) {
    super({
      status: 409,
      type: 'audit-already-open',
      code: 'AUDIT_ALREADY_OPEN',
      detail: openId
        ? problemText('auditAlreadyOpen.withId', { dealerCode, month, openId })
        : problemText('auditAlreadyOpen.plain', { dealerCode, month }),
      ...(openId ? { extra: { openAuditId: openId } } : {}),
    });
  }
}

export class EmptyPopulationError extends DomainError {
  constructor(dealerCode: string, month: string) {
    super('EMPTY_POPULATION', problemText('emptyPopulation', { dealerCode, month }), 422);
  }
}

export class AuditResultsMissingError extends DomainError {
  constructor(id: string, missing: string[]) {
    super('AUDIT_RESULTS_MISSING', problemText('auditResultsMissing', { id, count: missing.length }), 409, {
      serials: missing,
    });
  }
}
