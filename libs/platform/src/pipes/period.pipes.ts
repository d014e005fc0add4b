import { Injectable, PipeTransform } from '@nestjs/common';
import { isQuarter, isYearMonth } from '@app/kernel';
import { validationProblem } from '../problem/validation';

/** Path parameter `month` as `YYYY-MM`; anything else is a validation problem naming it. */
@Injectable()
export class YearMonthPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isYearMonth(value)) throw validationProblem([{ field: 'month', rule: 'yearMonth', message: 'month must be YYYY-MM' }]);
    return value;
  }
}

/** Path or query parameter `quarter` as `YYYY-Qn`. */
@Injectable()
export class QuarterPipe implements PipeTransform<string | undefined, string | undefined> {
  transform(value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    if (!isQuarter(value)) throw validationProblem([{ field: 'quarter', rule: 'quarter', message: 'quarter must be YYYY-Qn' }]);
    return value;
  }
}
