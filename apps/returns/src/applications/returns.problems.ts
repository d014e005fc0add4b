import { messageRefOf, notFoundProblem, problemText, ProblemException, ProblemFieldError } from '@app/platform';

/** A return that does not exist, or one of another dealer (no existence leak). */
export const returnNotFound = (id: string) => notFoundProblem(problemText('returnNotFound', { id }));

/** A state change asked of a return in another status: `expected` is the one it may start from. */
export class ReturnStatusProblem extends ProblemException {
  constructor(app: { id: string; status: string }, action: string, expected: string) {
    super({
      status: 409,
      type: 'return-status',
      code: 'RETURN_STATUS',
      detail: problemText('returnStatus', { id: app.id, status: app.status, expected, action: actionText(action) }),
    });
  }
}

/** The state changes a ReturnStatusProblem names, as the catalogue writes them. */
const ACTIONS: Record<string, string> = {
  closed: 'reasons.returns.actions.closed',
  approved: 'reasons.returns.actions.approved',
  rejected: 'reasons.returns.actions.rejected',
};
const actionText = (action: string) => (ACTIONS[action] ? { key: ACTIONS[action] } : action);

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
      detail: problemText('documentDate', { messages: messageRefOf(error) ?? error.message }),
      errors: [error],
    });
  }
}

/** The `id` path parameter of a return, and the problems documented for it and its status. */
export const RETURN_ID_DOC = {
  name: 'id',
  description: 'The return id (UUID)',
  example: '0f8fad5b-d9cb-469f-a165-70867728950e',
};
export const RETURN_NOT_FOUND_DOC = {
  status: 404,
  detail: 'Return 0f8fad5b-d9cb-469f-a165-70867728950e was not found.',
  description: 'No return with this id (or, for a dealer, not its own)',
};
export const RETURN_STATUS_DOC = {
  status: 409,
  type: 'return-status',
  code: 'RETURN_STATUS',
  detail: 'Return 0f8f… is RECEIVED; this step needs it APPROVED.',
  description: 'The return is not in the status this step needs',
};
export const DOCUMENT_DATE_DOC = {
  status: 422,
  type: 'document-date',
  code: 'DOCUMENT_DATE',
  detail: 'The date 2026-04-02 is in the future (today is 2026-03-31 in Asia/Shanghai).',
  description: 'The document date is in the future or before the previous step',
};
