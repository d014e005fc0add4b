import { problemText, ProblemException, ProblemFieldError, ProblemText } from '@app/platform';

/** R-PRT-1: a stored price version is never rewritten with other values. */
export class PriceVersionExistsProblem extends ProblemException {
  constructor(detail: ProblemText, errors?: ProblemFieldError[]) {
    super({ status: 409, type: 'price-version-exists', code: 'PRICE_VERSION_EXISTS', detail, errors });
  }
}

/** Another change stored some of the same versions between the check and the insert. */
export class ConcurrentPriceChangeProblem extends ProblemException {
  constructor() {
    super({
      status: 409,
      type: 'concurrent-price-change',
      code: 'CONCURRENT_PRICE_CHANGE',
      detail: problemText('concurrentPriceChange'),
    });
  }
}
