import { fieldError } from './field-error';
import { ProblemFieldError } from './problem-types';

/** A property the request does not take (rule `forbidden`), named as class-validator names it. */
export const forbiddenProperty = (field: string, name = field, rule = 'forbidden'): ProblemFieldError =>
  fieldError(field, rule, 'validation.fields.propertyNotAllowed', { name });

/**
 * What is wrong with a list of objects a body must carry (`cards`, `serials`): not an array, empty,
 * longer than `max`, or holding something other than objects; undefined when it is a fitting list.
 */
export function objectListError(field: string, value: unknown, max: number): ProblemFieldError | undefined {
  if (!Array.isArray(value)) return fieldError(field, 'isArray', 'validation.fields.mustBeArray');
  if (value.length < 1) return fieldError(field, 'arrayMinSize', 'validation.fields.arrayAtLeastOne');
  if (value.length > max) return fieldError(field, 'arrayMaxSize', 'validation.fields.arrayAtMost', { max });
  if (!value.every((item) => item !== null && typeof item === 'object' && !Array.isArray(item)))
    return fieldError(field, 'isObject', 'validation.fields.eachObject');
  return undefined;
}
