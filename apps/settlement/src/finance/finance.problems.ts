import { problemText, ProblemException } from '@app/platform';
import type { FinanceRowError } from './finance-input-rules';

/** The problems the finance inputs answer with (besides validation and dealer-not-yet-known). */

/** Idempotent on the external reference: the same reference with other content is refused, nothing written. */
export class ReferenceConflict extends ProblemException {
  constructor(conflicts: FinanceRowError[]) {
    super({
      status: 409,
      type: 'reference-conflict',
      code: 'REFERENCE_CONFLICT',
      detail: problemText('referenceConflict', { count: conflicts.length }),
      errors: conflicts,
    });
  }
}
