import { Injectable, PipeTransform } from '@nestjs/common';
import { isMonthWithinLimits, isQuarterWithinLimits } from '@app/kernel';
import { fieldError } from '../problem/field-error';
import { validationProblem } from '../problem/validation';

/** Path parameter `month` as `YYYY-MM` from 2000-01 to 2099-12; anything else is a validation problem naming it. */
@Injectable()
export class YearMonthPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isMonthWithinLimits(value)) {
      throw validationProblem([fieldError('month', 'yearMonth', 'validation.fields.month')]);
    }
    return value;
  }
}

/** Path or query parameter `quarter` as `YYYY-Qn` from 2000-Q1 to 2099-Q4. */
@Injectable()
export class QuarterPipe implements PipeTransform<string | undefined, string | undefined> {
  transform(value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    if (!isQuarterWithinLimits(value)) {
      throw validationProblem([fieldError('quarter', 'quarter', 'validation.fields.quarter')]);
    }
    return value;
  }
}
