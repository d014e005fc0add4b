import { ProblemException } from '@app/platform';

export class AgreementMonthClosedProblem extends ProblemException {
  constructor(effectiveFrom: string, lastClosed: string) {
    super({
      status: 409,
      type: 'agreement-month-closed',
      code: 'AGREEMENT_MONTH_CLOSED',
      detail: `Terms effective from ${effectiveFrom} would rewrite ${lastClosed}, which is closed; the earliest possible start is the month after it.`,
    });
  }
}

export class AgreementVersionExistsProblem extends ProblemException {
  constructor(dealerCode: string, effectiveFrom: string, version: number) {
    super({
      status: 409,
      type: 'agreement-version-exists',
      code: 'AGREEMENT_VERSION_EXISTS',
      detail: `Dealer ${dealerCode} already has terms effective from ${effectiveFrom} (version ${version}).`,
    });
  }
}
