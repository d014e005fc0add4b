import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsObject, ValidateNested } from 'class-validator';

/**
 * Applies property decorators as if written one above the other in this order: the last runs
 * first, so the validators report in the order a hand-written stack would.
 */
export function stackDecorators(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => {
    for (const decorator of [...decorators].reverse()) decorator(target, key);
  };
}

/**
 * An array of objects, each one validated as `type`: every list of nested lines (inputs and event
 * payloads) declares it the same way. `min` / `max` bound the number of items when given.
 */
export function ArrayOfObjects(
  type: () => new (...args: never[]) => object,
  limits: { min?: number; max?: number } = {},
): PropertyDecorator {
  return stackDecorators(
    IsArray(),
    ...(limits.min === undefined ? [] : [ArrayMinSize(limits.min)]),
    ...(limits.max === undefined ? [] : [ArrayMaxSize(limits.max)]),
    IsObject({ each: true }),
    ValidateNested({ each: true }),
    Type(type),
  );
}
