import { shanghaiDateTime } from '@app/kernel';
import { DomainError, notFoundProblem, problemText, ProblemException, ProblemText } from '@app/platform';

/** The problems the statements feature answers with: one class or factory per code. */

export const statementNotFound = (id: string) => notFoundProblem(problemText('statementNotFound', { id }));
export const disputeNotFound = (id: string) => notFoundProblem(problemText('disputeNotFound', { id }));
/** An "as of" read of a statement that did not exist yet at that instant. */
export const statementNotYetAt = (id: string, asOf: Date) =>
  notFoundProblem(problemText('statementNotYetAt', { id, asOf: asOf.toISOString() }));
export const runNotFound = (quarter: string, id: string) =>
  notFoundProblem(problemText('runNotFound', { id, quarter }));

/** R-SET-8: only a DRAFT is approved. */
export class StatementNotDraft extends DomainError {
  constructor(status: string) {
    super('STATEMENT_NOT_DRAFT', problemText('statementNotDraft', { status }), 409);
  }
}

/** R-SET-8: four eyes: the finance user who ran the settlement does not approve it. */
export class SameUserApproval extends DomainError {
  constructor() {
    super('SAME_USER_APPROVAL', problemText('sameUserApproval'), 409);
  }
}

/** R-SET-8: only an APPROVED statement is posted. */
export class StatementNotApproved extends DomainError {
  constructor(status: string) {
    super('STATEMENT_NOT_APPROVED', problemText('statementNotApproved', { status }), 409);
  }
}

/** R-DSP-1: only a posted statement is disputed. */
export class StatementNotPosted extends DomainError {
  constructor() {
    super('STATEMENT_NOT_POSTED', problemText('statementNotPosted'), 409);
  }
}

/** R-DSP-1: the dispute window closed disputeMonths after posting. */
export class DisputeWindowClosed extends DomainError {
  constructor(postedAt: Date, disputeMonths: number, deadline: Date) {
    super(
      'DISPUTE_WINDOW_CLOSED',
      problemText('disputeWindowClosed', {
        postedAt: shanghaiDateTime(postedAt),
        disputeMonths,
        deadline: shanghaiDateTime(deadline),
      }),
      422,
    );
  }
}

/** R-DSP-2: a rejected dispute carries no amount. */
export class AmountNotAllowed extends DomainError {
  constructor() {
    super('AMOUNT_NOT_ALLOWED', problemText('amountNotAllowed'), 400);
  }
}

/** R-DSP-2: an accepted dispute carries a non-zero signed amount. */
export class AmountRequired extends DomainError {
  constructor(zero: boolean) {
    super('AMOUNT_REQUIRED', problemText(zero ? 'amountRequired.zero' : 'amountRequired.missing'), 400);
  }
}

/** R-DSP-2: a resolved dispute is not resolved again. */
export class DisputeAlreadyResolved extends ProblemException {
  constructor(id: string, status: string) {
    super({
      status: 409,
      type: 'dispute-resolved',
      code: 'DISPUTE_ALREADY_RESOLVED',
      detail: problemText('disputeAlreadyResolved', { id, status }),
    });
  }
}

/** R-SET-2: one run per quarter at a time. */
export class RunInProgress extends ProblemException {
  constructor(runId: string, quarter: string) {
    super({
      status: 409,
      type: 'run-in-progress',
      code: 'RUN_IN_PROGRESS',
      detail: problemText('runInProgress', { runId, quarter }),
    });
  }
}

/** The engine could not compute the statement from the facts (e.g. no agreement in force). */
export class StatementNotComputable extends ProblemException {
  constructor(detail: ProblemText) {
    super({ status: 409, type: 'statement-not-computable', code: 'STATEMENT_NOT_COMPUTABLE', detail });
  }
}

/** R-SET-8: facts changed since the draft was computed; it is run again before approval. */
export class DraftOutdated extends ProblemException {
  constructor(quarter: string, storedHash: string, currentHash: string) {
    super({
      status: 409,
      type: 'draft-outdated',
      code: 'DRAFT_OUTDATED',
      detail: problemText('draftOutdated', { storedHash, currentHash, quarter }),
    });
  }
}

/** R-SET-9: only a frozen (approved or posted) statement is verified. */
export class StatementNotFrozen extends ProblemException {
  constructor() {
    super({
      status: 409,
      type: 'statement-not-frozen',
      code: 'STATEMENT_NOT_FROZEN',
      detail: problemText('statementNotFrozen'),
    });
  }
}

/** DOMAIN §9 (R-SET-8): a quarter is approved only once every month of it is past its report due time. */
export class MonthsPending extends ProblemException {
  constructor(quarter: string, months: readonly string[]) {
    super({
      status: 409,
      type: 'months-pending',
      code: 'MONTHS_PENDING',
      detail: problemText('monthsPending', { quarter, months: months.join(', ') }),
      extra: { pendingMonths: [...months] },
    });
  }
}
