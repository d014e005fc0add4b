import { MAX_AMOUNT } from '@app/kernel';
import {
  codeToSlug,
  messageRefOf,
  notFoundProblem,
  problemText,
  ProblemException,
  ProblemFieldError,
  ProblemText,
} from '@app/platform';

export const requisitionNotFound = (id: string) => notFoundProblem(problemText('requisitionNotFound', { id }));

/** Only an ACTIVE dealer files requisitions. */
export class DealerNotActiveProblem extends ProblemException {
  constructor(dealerCode: string, status: string) {
    super({
      status: 422,
      type: 'dealer-not-active',
      code: 'DEALER_NOT_ACTIVE',
      detail: problemText('dealerNotActive', { dealerCode, status }),
    });
  }
}

/** A filed line names a part the price list does not have. */
export class UnknownPartProblem extends ProblemException {
  constructor(errors: ProblemFieldError[]) {
    super({
      status: 422,
      type: 'unknown-part',
      code: 'UNKNOWN_PART',
      detail: problemText('unknownPart', { count: errors.length }),
      errors,
    });
  }
}

/** A change asked of a requisition in another status: 409, the type the slug of the code. */
abstract class RequisitionStatusProblem extends ProblemException {
  constructor(code: string, detail: ProblemText) {
    super({ status: 409, type: codeToSlug(code), code, detail });
  }
}

export class RequisitionNotSubmittedProblem extends RequisitionStatusProblem {
  constructor(id: string, status: string) {
    super('REQUISITION_NOT_SUBMITTED', problemText('requisitionNotSubmitted', { id, status }));
  }
}

export class RequisitionNotApprovedProblem extends RequisitionStatusProblem {
  constructor(id: string, status: string) {
    super('REQUISITION_NOT_APPROVED', problemText('requisitionNotApproved', { id, status }));
  }
}

/** R-PRT-4: old parts are owed only once the requisition has shipped. */
export class RequisitionNotShippedProblem extends RequisitionStatusProblem {
  constructor(id: string, status: string) {
    super('REQUISITION_NOT_SHIPPED', problemText('requisitionNotShipped', { id, status }));
  }
}

/** R-PRT-1: an approved part needs a price in force on the approval date. */
export class PriceNotInForceProblem extends ProblemException {
  constructor(on: string, partNos: readonly string[]) {
    super({
      status: 422,
      type: 'price-not-in-force',
      code: 'PRICE_NOT_IN_FORCE',
      detail: problemText('priceNotInForce', { on, partNos: partNos.join(', ') }),
    });
  }
}

/** DOMAIN §9: an approved line stays within the largest amount one fact may carry. */
export class AmountOverLimitProblem extends ProblemException {
  constructor(errors: ProblemFieldError[]) {
    super({
      status: 422,
      type: 'amount-over-limit',
      code: 'AMOUNT_OVER_LIMIT',
      detail: problemText('amountOverLimit', { count: errors.length, max: MAX_AMOUNT }),
      errors,
    });
  }
}

/** R-SET-10 (DOMAIN §9): a document date in the future, or before the date of the step it follows. */
export class DocumentDateProblem extends ProblemException {
  constructor(errors: ProblemFieldError[]) {
    super({
      status: 422,
      type: 'document-date',
      code: 'DOCUMENT_DATE',
      detail: problemText('documentDate', { messages: errors.map((e) => messageRefOf(e) ?? { key: e.message }) }),
      errors,
    });
  }
}
