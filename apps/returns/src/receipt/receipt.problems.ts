import { MessageRef, problemText, ProblemException } from '@app/platform';

/** The goods of this return were already received (it is RECEIVED or CLOSED). */
export class AlreadyReceivedProblem extends ProblemException {
  constructor(returnId: string | undefined, status: string | null, reason: string | MessageRef) {
    super({
      status: 409,
      type: 'return-status',
      code: 'ALREADY_RECEIVED',
      detail: problemText('alreadyReceived', { returnId: String(returnId), status: String(status), reason }),
    });
  }
}

/** R-RET-1: goods are received against an APPROVED application only; others are recorded as refused. */
export class NoApprovedApplicationProblem extends ProblemException {
  constructor(returnId: string, status: string, reason: string | MessageRef) {
    super({
      status: 409,
      type: 'no-approved-application',
      code: 'NO_APPROVED_APPLICATION',
      detail: problemText('noApprovedApplication', { returnId, status, reason }),
    });
  }
}

/** Goods of an approved return are received, not refused. */
export class ReturnApprovedProblem extends ProblemException {
  constructor(returnId: string | undefined) {
    super({
      status: 409,
      type: 'return-approved',
      code: 'RETURN_APPROVED',
      detail: problemText('returnApproved', { returnId: String(returnId) }),
    });
  }
}
