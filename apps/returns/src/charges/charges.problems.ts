import { ProblemException, ProblemFieldError } from '@app/platform';

/** R-RET-4: the parts or freight given at closing do not fit the received lines. */
export class InvalidChargesProblem extends ProblemException {
  constructor(errors: ProblemFieldError[]) {
    super({
      status: 422,
      type: 'return-charges',
      code: 'INVALID_CHARGES',
      detail: 'The closing does not fit the received lines.',
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
      detail: `${errors.length} refurbishment part(s) have no list price in force on the closing date ${closedOn}; nothing was closed.`,
      errors,
    });
  }
}
