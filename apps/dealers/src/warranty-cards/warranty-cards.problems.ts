import { ProblemException } from '@app/platform';

export class CardReportClosedProblem extends ProblemException {
  constructor(dealerCode: string, reportMonth: string) {
    super({
      status: 409,
      type: 'report-closed',
      code: 'REPORT_CLOSED',
      detail: `Report ${reportMonth} of ${dealerCode} is closed: its quarter is approved, cards can no longer be withdrawn.`,
    });
  }
}

export class CardUnderAuditProblem extends ProblemException {
  constructor(serial: string) {
    super({
      status: 409,
      type: 'card-under-audit',
      code: 'CARD_UNDER_AUDIT',
      detail: `Card ${serial} is in a callback audit sample and cannot be withdrawn.`,
    });
  }
}
