import { ArgumentMetadata, ValidationError, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
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

const NOT_A_DTO: unknown[] = [String, Boolean, Number, Array, Object];

/**
 * A body meant for a DTO class must be a JSON object: `null`, an array or a scalar would otherwise
 * reach class-validator as no object at all and pass as one with every optional field left out.
 */
class ObjectBodyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const dto =
      metadata.type === 'body' && typeof metadata.metatype === 'function' && !NOT_A_DTO.includes(metadata.metatype);
    if (dto && value !== undefined && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw validationProblem([{ field: 'body', rule: 'isObject', message: 'the body must be a JSON object' }]);
    }
    return super.transform(value, metadata);
  }
}

/** The global pipe: whitelist + forbidNonWhitelisted + transform; errors become a `validation` problem. */
export function createValidationPipe(options: ValidationPipeOptions = {}): ValidationPipe {
  return new ObjectBodyValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationProblem(flattenValidationErrors(errors)),
    ...options,
  });
}
