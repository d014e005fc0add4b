import { MAX_AMOUNT } from '@app/kernel';
import { codeToSlug, notFoundProblem, ProblemException, ProblemFieldError } from '@app/platform';

export const requisitionNotFound = (id: string) => notFoundProblem(`Requisition ${id} was not found.`);

/** Only an ACTIVE dealer files requisitions. */
export class DealerNotActiveProblem extends ProblemException {
  constructor(dealerCode: string, status: string) {
    super({
      status: 422,
      type: 'dealer-not-active',
      code: 'DEALER_NOT_ACTIVE',
      detail: `Dealer ${dealerCode} is ${status} and cannot file requisitions.`,
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
      detail: `${errors.length} part(s) are not in the price list.`,
      errors,
    });
  }
}

/** A change asked of a requisition in another status: 409, the type the slug of the code. */
abstract class RequisitionStatusProblem extends ProblemException {
  constructor(code: string, detail: string) {
    super({ status: 409, type: codeToSlug(code), code, detail });
  }
}

export class RequisitionNotSubmittedProblem extends RequisitionStatusProblem {
  constructor(id: string, status: string) {
    super('REQUISITION_NOT_SUBMITTED', `Requisition ${id} is ${status}; only a SUBMITTED requisition can be approved.`);
  }
}

export class RequisitionNotApprovedProblem extends RequisitionStatusProblem {
  constructor(id: string, status: string) {
    super('REQUISITION_NOT_APPROVED', `Requisition ${id} is ${status}; only an APPROVED requisition can be shipped.`);
  }
}

/** R-PRT-4: old parts are owed only once the requisition has shipped. */
export class RequisitionNotShippedProblem extends RequisitionStatusProblem {
  constructor(id: string, status: string) {
    super('REQUISITION_NOT_SHIPPED', `Requisition ${id} is ${status}; old parts are owed only after shipment.`);
  }
}

/** R-PRT-1: an approved part needs a price in force on the approval date. */
export class PriceNotInForceProblem extends ProblemException {
  constructor(on: string, partNos: readonly string[]) {
    super({
      status: 422,
      type: 'price-not-in-force',
      code: 'PRICE_NOT_IN_FORCE',
      detail: `No price in force on ${on} for ${partNos.join(', ')}.`,
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
      detail: `${errors.length} line(s) would be worth more than ${MAX_AMOUNT}.`,
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
      detail: `R-SET-10: ${errors.map((e) => e.message).join('; ')}.`,
      errors,
    });
  }
}
