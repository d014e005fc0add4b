import { problemText, ProblemException } from '@app/platform';

export class CardReportClosedProblem extends ProblemException {
  constructor(dealerCode: string, reportMonth: string) {
    super({
      status: 409,
      type: 'report-closed',
      code: 'REPORT_CLOSED',
      detail: problemText('cardReportClosed', { reportMonth, dealerCode }),
    });
  }
}

export class CardUnderAuditProblem extends ProblemException {
  constructor(serial: string) {
    super({
      status: 409,
      type: 'card-under-audit',
      code: 'CARD_UNDER_AUDIT',
      detail: problemText('cardUnderAudit', { serial }),
    });
  }
}
