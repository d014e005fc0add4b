import { ProblemException, ProblemText } from '@app/platform';

/**
 * The dealer has no agreement terms in force for the month an action needs them (R-AGR-1):
 * approving a requisition, classifying or closing a return. `detail` names the dealer and month.
 */
export class NoAgreementTermsProblem extends ProblemException {
  constructor(detail: ProblemText) {
    super({ status: 422, type: 'no-agreement-terms', code: 'NO_AGREEMENT_TERMS', detail });
  }
}
