import { notFoundProblem, problemText, ProblemException, ProblemFieldError } from '@app/platform';

/** A return that does not exist, or one of another dealer (no existence leak). */
export const returnNotFound = (id: string) => notFoundProblem(problemText('returnNotFound', { id }));

/** A state change asked of a return in another status: `expected` is the one it may start from. */
export class ReturnStatusProblem extends ProblemException {
  constructor(app: { id: string; status: string }, action: string, expected: string) {
    super({
      status: 409,
      type: 'return-status',
      code: 'RETURN_STATUS',
      detail: problemText('returnStatus', { id: app.id, status: app.status, expected, action }),
    });
  }
}

/** R-RET-2: the approver picked a class the line's dates and flags do not allow. */
export class ClassNotAllowedProblem extends ProblemException {
  constructor(errors: ProblemFieldError[]) {
    super({
      status: 422,
      type: 'class-not-allowed',
      code: 'CLASS_NOT_ALLOWED',
      detail: problemText('classNotAllowed'),
      errors,
    });
  }
}

/** R-SET-10 (DOMAIN §9): a document date in the future, or before the date of the step it follows. */
export class DocumentDateProblem extends ProblemException {
  constructor(error: ProblemFieldError) {
    super({
      status: 422,
      type: 'document-date',
      code: 'DOCUMENT_DATE',
      detail: problemText('documentDate', { messages: error.message }),
      errors: [error],
    });
  }
}
