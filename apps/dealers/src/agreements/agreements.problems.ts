import { problemText, ProblemException } from '@app/platform';

export class AgreementMonthClosedProblem extends ProblemException {
  constructor(effectiveFrom: string, lastClosed: string) {
    super({
      status: 409,
      type: 'agreement-month-closed',
      code: 'AGREEMENT_MONTH_CLOSED',
      detail: problemText('agreementMonthClosed', { effectiveFrom, lastClosed }),
    });
  }
}

export class AgreementVersionExistsProblem extends ProblemException {
  constructor(dealerCode: string, effectiveFrom: string, version: number) {
    super({
      status: 409,
      type: 'agreement-version-exists',
      code: 'AGREEMENT_VERSION_EXISTS',
      detail: problemText('agreementVersionExists', { dealerCode, effectiveFrom, version }),
    });
  }
}
