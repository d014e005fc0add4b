import { problemText, ProblemException } from '@app/platform';

export class OutletCodeTakenProblem extends ProblemException {
  constructor(code: string) {
    super({
      status: 409,
      type: 'outlet-code-taken',
      code: 'OUTLET_CODE_TAKEN',
      detail: problemText('outletCodeTaken', { code }),
    });
  }
}
