import { ArgumentMetadata, ValidationError, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import {
  AMOUNT_REGEX,
  DATE_REGEX,
  DEALER_CODE_REGEX,
  FIRST_OF_MONTH_REGEX,
  MODEL_CODE_REGEX,
  MONEY_REGEX,
  MONTH_REGEX,
  PART_NO_REGEX,
  QUARTER_REGEX,
  RATE_REGEX,
  REFERENCE_REGEX,
  SERIAL_REGEX,
  SIGNED_TOTAL_REGEX,
  TOTAL_REGEX,
} from '@app/contracts';
import { MessageArgs, MessageRef } from '../i18n/catalogue';
import { fieldError, withMessageRef } from './field-error';
import { problemText, ProblemException } from './problem.exception';
import { ProblemFieldError } from './problem-types';

/** The shared formats by pattern: a `matches` error on one of them reads `validation.formats.<name>`. */
const FORMATS = new Map<string, string>([
  [AMOUNT_REGEX.source, 'amount'],
  [DATE_REGEX.source, 'date'],
  [DEALER_CODE_REGEX.source, 'dealerCode'],
  [FIRST_OF_MONTH_REGEX.source, 'firstOfMonth'],
  [MODEL_CODE_REGEX.source, 'modelCode'],
  [MONEY_REGEX.source, 'money'],
  [MONTH_REGEX.source, 'month'],
  [PART_NO_REGEX.source, 'partNo'],
  [QUARTER_REGEX.source, 'quarter'],
  [RATE_REGEX.source, 'rate'],
  [REFERENCE_REGEX.source, 'reference'],
  [SERIAL_REGEX.source, 'serial'],
  [SIGNED_TOTAL_REGEX.source, 'signedAmount'],
  ['^-?\\d{1,10}\\.\\d{2}$', 'signedAmount'],
  [TOTAL_REGEX.source, 'amount'],
]);

/** The arguments of the validator that refused the property (maxLength's 64, isIn's values), by rule name. */
function constraintsOf(target: object | undefined, property: string, rule: string): unknown[] {
  if (!target || typeof target !== 'object') return [];
  const metadata = getMetadataStorage()
    .getTargetValidationMetadatas(target.constructor, '', true, false)
    .find((m) => m.propertyName === property && (m.name === rule || m.type === rule));
  return metadata?.constraints ?? [];
}

/** The key a class-validator message is translated from: the rule's message with its limits, or the format's. */
export function validatorMessageRef(field: string, rule: string, constraints: unknown[]): MessageRef {
  const [first] = constraints;
  if (rule === 'matches' && first instanceof RegExp && FORMATS.has(first.source)) {
    return { key: `validation.formats.${FORMATS.get(first.source)}`, args: { field } };
  }
  const args: MessageArgs = { field, rule };
  constraints.forEach((value, index) => {
    args[`c${index}`] = Array.isArray(value) ? value.join(', ') : String(value);
  });
  return { key: `validation.rules.${rule}`, args };
}

function joinPath(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

/** Flattens nested class-validator errors into `{ field: 'cards[3].serial', rule: 'matches', message }`. */
export function flattenValidationErrors(errors: readonly ValidationError[], parent = ''): ProblemFieldError[] {
  const out: ProblemFieldError[] = [];
  for (const error of errors) {
    const field = joinPath(parent, error.property);
    for (const [name, message] of Object.entries(error.constraints ?? {})) {
      const rule = name === 'whitelistValidation' ? 'forbidden' : name;
      const constraints = constraintsOf(error.target, error.property, name);
      out.push(withMessageRef({ field, rule, message }, validatorMessageRef(field, rule, constraints)));
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

export function validationProblem(errors: ProblemFieldError[]): ProblemException {
  return new ProblemException({
    status: 400,
    type: 'validation',
    title: problemText('validation.title'),
    detail: problemText('validation.detail', { count: errors.length }),
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
      throw validationProblem([fieldError('body', 'isObject', 'validation.fields.bodyObject')]);
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
    // The target lets a message name the validator's limits (constraintsOf); only field, rule and message leave.
    validationError: { target: true, value: false },
    exceptionFactory: (errors) => validationProblem(flattenValidationErrors(errors)),
    ...options,
  });
}
