import { ProblemException } from '@app/platform';

export class OutletCodeTakenProblem extends ProblemException {
  constructor(code: string) {
    super({
      status: 409,
      type: 'outlet-code-taken',
      code: 'OUTLET_CODE_TAKEN',
      detail: `Outlet code ${code} is already a dealer or a sub-distributor.`,
    });
  }
}
