import { shanghaiDate } from '@app/kernel';
import { ProblemException } from '@app/platform';

export class ReportClosedProblem extends ProblemException {
  constructor(dealerCode: string, month: string) {
    super({
      status: 409,
      type: 'report-closed',
      code: 'REPORT_CLOSED',
      detail: `The ${month} report of dealer ${dealerCode} is closed: its quarter is approved and nothing of the month changes any more.`,
    });
  }
}

export class ReportMonthNotStartedProblem extends ProblemException {
  constructor(month: string, now: Date) {
    super({
      status: 422,
      type: 'report-month-not-started',
      code: 'REPORT_MONTH_NOT_STARTED',
      detail: `A report for ${month} cannot be submitted before that month (today is ${shanghaiDate(now)} in Asia/Shanghai).`,
    });
  }
}
