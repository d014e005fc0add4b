import { notFoundProblem, ProblemException } from '@app/platform';

export const dealerNotFoundProblem = (code: string): ProblemException =>
  notFoundProblem(`Dealer ${code} was not found.`);

export class DealerExistsProblem extends ProblemException {
  constructor(code: string) {
    super({ status: 409, type: 'dealer-exists', code: 'DEALER_EXISTS', detail: `Dealer ${code} already exists.` });
  }
}
