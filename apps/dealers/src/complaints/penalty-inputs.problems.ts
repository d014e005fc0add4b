import { MessageRef, problemText, ProblemException } from '@app/platform';

export class ReferenceReusedProblem extends ProblemException {
  constructor(label: MessageRef, reference: string, id: string) {
    super({
      status: 409,
      type: 'reference-reused',
      code: 'REFERENCE_REUSED',
      detail: problemText('referenceReused', { label, reference, id }),
    });
  }
}
