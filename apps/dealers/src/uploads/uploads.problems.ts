import {
  messageRefOf,
  MULTIPART_FILE_SIZE_LIMIT,
  problemText,
  ProblemException,
  ProblemFieldError,
  ProblemText,
  withMessageRef,
} from '@app/platform';
import type { RowError } from './row-parsers';

/** A file that is neither an XLSX workbook nor CSV text (also: a request that is not multipart). */
export class UnsupportedFileProblem extends ProblemException {
  constructor(detail: ProblemText, type = 'unsupported-file-type') {
    super({ status: 415, type, code: 'UNSUPPORTED_FILE_TYPE', detail });
  }
}

export class NotMultipartProblem extends UnsupportedFileProblem {
  constructor() {
    super(problemText('notMultipart'), 'unsupported-media-type');
  }
}

export class FileTooLargeProblem extends ProblemException {
  constructor() {
    super({
      status: 413,
      type: 'file-too-large',
      code: 'FILE_TOO_LARGE',
      detail: problemText('fileTooLarge', {
        bytes: MULTIPART_FILE_SIZE_LIMIT,
        mib: MULTIPART_FILE_SIZE_LIMIT / 1024 / 1024,
      }),
    });
  }
}

export class TooManyFilesProblem extends ProblemException {
  constructor(maxFiles: number) {
    super({
      status: 413,
      type: 'too-many-files',
      code: 'TOO_MANY_FILES',
      detail: problemText('tooManyFiles', { maxFiles }),
    });
  }
}

export class MalformedCsvProblem extends ProblemException {
  constructor(filename: string, line: number | undefined, reason: string) {
    super({
      status: 422,
      type: 'malformed-csv',
      code: 'MALFORMED_CSV',
      detail: line
        ? problemText('malformedCsv.atLine', { filename, line, reason })
        : problemText('malformedCsv.plain', { filename, reason }),
    });
  }
}

export class NoFileProblem extends ProblemException {
  constructor() {
    super({
      status: 400,
      type: 'no-file',
      code: 'NO_FILE',
      detail: problemText('noFile'),
    });
  }
}

export class DuplicateFormProblem extends ProblemException {
  constructor(form: string, firstSheet: string, secondSheet: string) {
    super({
      status: 400,
      type: 'duplicate-form',
      code: 'DUPLICATE_FORM',
      detail: problemText('duplicateForm', { form, firstSheet, secondSheet }),
    });
  }
}

export class NoFormsFoundProblem extends ProblemException {
  constructor(forms: string) {
    super({
      status: 422,
      type: 'no-forms-found',
      code: 'NO_FORMS_FOUND',
      detail: problemText('noFormsFound', { forms }),
    });
  }
}

/** A row error as a problem's field error: `field` is `<sheet>[<row>].<column>`, with sheet, row and column apart too. */
function fieldErrors(errors: readonly RowError[]): ProblemFieldError[] {
  return errors.map((e) => {
    const error = {
      field: `${e.sheet}[${e.row}]${e.column ? `.${e.column}` : ''}`,
      rule: e.rule,
      message: e.reason,
      sheet: e.sheet,
      row: e.row,
      column: e.column,
      ...(e.code ? { code: e.code } : {}),
    };
    const ref = messageRefOf(e);
    return ref ? withMessageRef(error, ref) : error;
  });
}

/** A file of 0 bytes (or a CSV with nothing but blanks): nothing can be read from it, so nothing is stored. */
export class EmptyFileProblem extends ProblemException {
  constructor(filename: string) {
    super({
      status: 422,
      type: 'empty-file',
      code: 'EMPTY_FILE',
      detail: problemText('emptyFile', { filename }),
    });
  }
}

/** Nothing stored because the forms given lack required columns (each listed with its sheet). */
export class MissingColumnsProblem extends ProblemException {
  constructor(missing: readonly string[], errors: readonly RowError[]) {
    super({
      status: 422,
      type: 'missing-columns',
      code: 'MISSING_COLUMNS',
      detail: problemText('missingColumns', { missing: missing.join('; ') }),
      errors: fieldErrors(errors),
    });
  }
}

/** Nothing stored because no form given has a data row (an unfilled template: headers and example rows only). */
export class NoDataRowsProblem extends ProblemException {
  constructor(sheets: readonly string[]) {
    super({
      status: 422,
      type: 'no-data-rows',
      code: 'NO_DATA_ROWS',
      detail: problemText('noDataRows', { sheets: sheets.join(', ') }),
    });
  }
}

/** Nothing stored because every row given was refused; every error of every row is listed. */
export class NoValidRowsProblem extends ProblemException {
  constructor(errors: readonly RowError[]) {
    super({
      status: 422,
      type: 'no-valid-rows',
      code: 'NO_VALID_ROWS',
      detail: problemText('noValidRows', { count: errors.length }),
      errors: fieldErrors(errors),
    });
  }
}
