import { MULTIPART_FILE_SIZE_LIMIT, ProblemException, ProblemFieldError } from '@app/platform';
import type { RowError } from './row-parsers';

/** A file that is neither an XLSX workbook nor CSV text (also: a request that is not multipart). */
export class UnsupportedFileProblem extends ProblemException {
  constructor(detail: string, type = 'unsupported-file-type') {
    super({ status: 415, type, code: 'UNSUPPORTED_FILE_TYPE', detail });
  }
}

export class NotMultipartProblem extends UnsupportedFileProblem {
  constructor() {
    super('Send the forms as multipart/form-data.', 'unsupported-media-type');
  }
}

export class FileTooLargeProblem extends ProblemException {
  constructor() {
    super({
      status: 413,
      type: 'file-too-large',
      code: 'FILE_TOO_LARGE',
      detail: `A file is larger than the limit of ${MULTIPART_FILE_SIZE_LIMIT} bytes (${MULTIPART_FILE_SIZE_LIMIT / 1024 / 1024} MiB).`,
    });
  }
}

export class TooManyFilesProblem extends ProblemException {
  constructor(maxFiles: number) {
    super({
      status: 413,
      type: 'too-many-files',
      code: 'TOO_MANY_FILES',
      detail: `At most ${maxFiles} files per upload.`,
    });
  }
}

export class MalformedCsvProblem extends ProblemException {
  constructor(filename: string, line: number | undefined, reason: string) {
    super({
      status: 422,
      type: 'malformed-csv',
      code: 'MALFORMED_CSV',
      detail: `${filename} is not well-formed CSV${line ? ` (line ${line})` : ''}: ${reason}`,
    });
  }
}

export class NoFileProblem extends ProblemException {
  constructor() {
    super({
      status: 400,
      type: 'no-file',
      code: 'NO_FILE',
      detail: 'Send one XLSX workbook or CSV files as multipart/form-data.',
    });
  }
}

export class DuplicateFormProblem extends ProblemException {
  constructor(form: string, firstSheet: string, secondSheet: string) {
    super({
      status: 400,
      type: 'duplicate-form',
      code: 'DUPLICATE_FORM',
      detail: `The form ${form} is both in ${firstSheet} and ${secondSheet}.`,
    });
  }
}

export class NoFormsFoundProblem extends ProblemException {
  constructor(forms: string) {
    super({
      status: 422,
      type: 'no-forms-found',
      code: 'NO_FORMS_FOUND',
      detail: `No sheet or file is one of the forms: ${forms}.`,
    });
  }
}

/** A row error as a problem's field error: `field` is `<sheet>[<row>].<column>`, with sheet, row and column apart too. */
function fieldErrors(errors: readonly RowError[]): ProblemFieldError[] {
  return errors.map((e) => ({
    field: `${e.sheet}[${e.row}]${e.column ? `.${e.column}` : ''}`,
    rule: e.rule,
    message: e.reason,
    sheet: e.sheet,
    row: e.row,
    column: e.column,
    ...(e.code ? { code: e.code } : {}),
  }));
}

/** A file of 0 bytes (or a CSV with nothing but blanks): nothing can be read from it, so nothing is stored. */
export class EmptyFileProblem extends ProblemException {
  constructor(filename: string) {
    super({
      status: 422,
      type: 'empty-file',
      code: 'EMPTY_FILE',
      detail: `The file ${filename} is empty; nothing was stored.`,
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
      detail: `Required columns are missing, so nothing was stored: ${missing.join('; ')}.`,
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
      detail:
        `No data rows in ${sheets.join(', ')}: nothing was stored. Fill in rows below the header ` +
        `(the example row is ignored). To report a month without sales, delete the example row of ` +
        `每月销售统计表 (sales) and upload its header alone.`,
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
      detail: `No row could be taken, so nothing was stored: ${errors.length} error(s), listed in errors.`,
      errors: fieldErrors(errors),
    });
  }
}
