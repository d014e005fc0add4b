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
