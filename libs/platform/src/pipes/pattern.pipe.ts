import { PipeTransform } from '@nestjs/common';
import { withMessageRef } from '../problem/field-error';
import { validationProblem, validatorMessageRef } from '../problem/validation';

/**
 * A path parameter of a known shape (a dealer code, a serial): anything else is a validation
 * problem naming it, before any lookup. `normalise` (e.g. upper-casing) applies first.
 */
export class PatternPipe implements PipeTransform<string, string> {
  constructor(
    private readonly field: string,
    private readonly pattern: RegExp,
    private readonly description: string,
    private readonly normalise: (value: string) => string = (value) => value,
  ) {}

  transform(value: string): string {
    const normalised = this.normalise(value);
    if (!this.pattern.test(normalised))
      throw validationProblem([
        withMessageRef(
          { field: this.field, rule: 'pattern', message: `${this.field} must be ${this.description}` },
          validatorMessageRef(this.field, 'matches', [this.pattern]),
        ),
      ]);
    return normalised;
  }
}
