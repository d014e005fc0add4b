import { notFoundProblem, problemText, ProblemException } from '@app/platform';

export const dealerNotFoundProblem = (code: string): ProblemException =>
  notFoundProblem(problemText('dealerNotFound', { code }));

export class DealerExistsProblem extends ProblemException {
  constructor(code: string) {
    super({ status: 409, type: 'dealer-exists', code: 'DEALER_EXISTS', detail: problemText('dealerExists', { code }) });
  }
}
