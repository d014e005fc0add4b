import { shanghaiDate } from '@app/kernel';
import { problemText, ProblemException } from '@app/platform';

export class ReportClosedProblem extends ProblemException {
  constructor(dealerCode: string, month: string) {
    super({
      status: 409,
      type: 'report-closed',
      code: 'REPORT_CLOSED',
      detail: problemText('reportClosed', { month, dealerCode }),
    });
  }
}

export class ReportMonthNotStartedProblem extends ProblemException {
  constructor(month: string, now: Date) {
    super({
      status: 422,
      type: 'report-month-not-started',
      code: 'REPORT_MONTH_NOT_STARTED',
      detail: problemText('reportMonthNotStarted', { month, today: shanghaiDate(now) }),
    });
  }
}
