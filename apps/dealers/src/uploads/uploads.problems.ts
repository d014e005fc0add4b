import { MULTIPART_FILE_SIZE_LIMIT, problemText, ProblemException, ProblemText } from '@app/platform';

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
