import { MULTIPART_FILE_SIZE_LIMIT, ProblemException } from '@app/platform';

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
