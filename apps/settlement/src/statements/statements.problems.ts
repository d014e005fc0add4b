import { DomainError, notFoundProblem, ProblemException } from '@app/platform';

/** The problems the statements feature answers with: one class or factory per code. */

export const statementNotFound = (id: string) => notFoundProblem(`Statement ${id} was not found.`);
export const disputeNotFound = (id: string) => notFoundProblem(`Dispute ${id} was not found.`);
export const runNotFound = (quarter: string, id: string) => notFoundProblem(`Run ${id} of ${quarter} was not found.`);

/** R-SET-8: only a DRAFT is approved. */
export class StatementNotDraft extends DomainError {
  constructor(status: string) {
    super('STATEMENT_NOT_DRAFT', `The statement is ${status}; only a DRAFT can be approved (R-SET-8).`, 409);
  }
}

/** R-SET-8: four eyes: the finance user who ran the settlement does not approve it. */
export class SameUserApproval extends DomainError {
  constructor() {
    super(
      'SAME_USER_APPROVAL',
      'R-SET-8: the statement must be approved by a finance user other than the one who ran the settlement.',
      409,
    );
  }
}

/** R-SET-8: only an APPROVED statement is posted. */
export class StatementNotApproved extends DomainError {
  constructor(status: string) {
    super(
      'STATEMENT_NOT_APPROVED',
      `The statement is ${status}; only an APPROVED statement can be posted (R-SET-8).`,
      409,
    );
  }
}

/** R-DSP-1: only a posted statement is disputed. */
export class StatementNotPosted extends DomainError {
  constructor() {
    super('STATEMENT_NOT_POSTED', 'Only a posted statement can be disputed (R-DSP-1).', 409);
  }
}

/** R-DSP-1: the dispute window closed disputeMonths after posting. */
export class DisputeWindowClosed extends DomainError {
  constructor(postedAt: Date, disputeMonths: number, deadline: Date) {
    super(
      'DISPUTE_WINDOW_CLOSED',
      `R-DSP-1: the statement was posted ${postedAt.toISOString()}; disputes were accepted for ${disputeMonths} month(s), until ${deadline.toISOString()}.`,
      422,
    );
  }
}

/** R-DSP-2: a rejected dispute carries no amount. */
export class AmountNotAllowed extends DomainError {
  constructor() {
    super('AMOUNT_NOT_ALLOWED', 'R-DSP-2: a rejected dispute carries no amount.', 400);
  }
}

/** R-DSP-2: an accepted dispute carries a non-zero signed amount. */
export class AmountRequired extends DomainError {
  constructor(zero: boolean) {
    super(
      'AMOUNT_REQUIRED',
      zero
        ? 'R-DSP-2: the accepted amount must not be zero.'
        : 'R-DSP-2: an accepted dispute needs the signed amount that enters the next open statement.',
      400,
    );
  }
}

/** R-DSP-2: a resolved dispute is not resolved again. */
export class DisputeAlreadyResolved extends ProblemException {
  constructor(id: string, status: string) {
    super({
      status: 409,
      type: 'dispute-resolved',
      code: 'DISPUTE_ALREADY_RESOLVED',
      detail: `Dispute ${id} is already ${status}.`,
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
      detail: `Run ${runId} for ${quarter} is still running.`,
    });
  }
}

/** The engine could not compute the statement from the facts (e.g. no agreement in force). */
export class StatementNotComputable extends ProblemException {
  constructor(detail: string) {
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
      detail: `Facts changed since the draft was computed (stored hash ${storedHash}, current ${currentHash}); run the settlement for ${quarter} again before approving.`,
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
      detail: 'Only an approved or posted statement can be verified; a draft is recomputed by a run.',
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
      detail: `${quarter} cannot be approved yet: the report due time of ${months.join(', ')} has not passed (PENDING).`,
      extra: { pendingMonths: [...months] },
    });
  }
}
