import { fieldError, problemText, ProblemException } from '@app/platform';

export class UnknownDealerProblem extends ProblemException {
  constructor(dealerCode: string) {
    super({
      status: 422,
      type: 'unknown-dealer',
      code: 'UNKNOWN_DEALER',
      detail: problemText('unknownDealer', { dealerCode }),
      errors: [fieldError('dealerCode', 'exists', 'validation.fields.noSuchDealer')],
    });
  }
}

export class ShipmentReferenceConflictProblem extends ProblemException {
  constructor(reference: string) {
    super({
      status: 409,
      type: 'shipment-reference-conflict',
      code: 'SHIPMENT_REFERENCE_CONFLICT',
      detail: problemText('shipmentReferenceConflict', { reference }),
    });
  }
}
