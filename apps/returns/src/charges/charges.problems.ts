import { problemText, ProblemException, ProblemFieldError } from '@app/platform';

/** R-RET-4: the parts or freight given at closing do not fit the received lines. */
export class InvalidChargesProblem extends ProblemException {
  constructor(errors: ProblemFieldError[]) {
    super({
      status: 422,
      type: 'return-charges',
      code: 'INVALID_CHARGES',
      detail: problemText('invalidCharges'),
      errors,
    });
  }
}

/** R-RET-4 (DOMAIN §9): a refurbishment part has no list price in force on the closing date; each such part is named. */
export class NoListPriceProblem extends ProblemException {
  constructor(closedOn: string, errors: ProblemFieldError[]) {
    super({
      status: 422,
      type: 'no-list-price',
      code: 'NO_LIST_PRICE',
      detail: problemText('noListPrice', { count: errors.length, closedOn }),
      errors,
    });
  }
}
