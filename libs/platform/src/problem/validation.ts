import { ValidationError, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { ProblemException } from './problem.exception';
import { ProblemFieldError } from './problem-types';

function joinPath(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

/** Flattens nested class-validator errors into `{ field: 'cards[3].serial', rule: 'matches', message }`. */
export function flattenValidationErrors(errors: readonly ValidationError[], parent = ''): ProblemFieldError[] {
  const out: ProblemFieldError[] = [];
  for (const error of errors) {
    const field = joinPath(parent, error.property);
    for (const [rule, message] of Object.entries(error.constraints ?? {})) {
      out.push({ field, rule: rule === 'whitelistValidation' ? 'forbidden' : rule, message });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

export function validationProblem(errors: ProblemFieldError[]): ProblemException {
  return new ProblemException({
    status: 400,
    type: 'validation',
    title: 'Validation failed',
    detail: `${errors.length} field(s) failed validation.`,
    errors,
  });
}

/** The global pipe: whitelist + forbidNonWhitelisted + transform; errors become a `validation` problem. */
export function createValidationPipe(options: ValidationPipeOptions = {}): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationProblem(flattenValidationErrors(errors)),
    ...options,
  });
}
