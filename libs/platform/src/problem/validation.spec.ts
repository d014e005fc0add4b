import { Type } from 'class-transformer';
import { ArrayMinSize, IsString, Matches, ValidateNested, ValidationError } from 'class-validator';
import { ProblemException } from './problem.exception';
import { createValidationPipe, flattenValidationErrors } from './validation';

function err(
  property: string,
  constraints?: Record<string, string>,
  children: ValidationError[] = [],
): ValidationError {
  return Object.assign(new ValidationError(), { property, constraints, children });
}

class Card {
  @IsString()
  @Matches(/^SN-\d{4}$/, { message: 'serial must look like SN-0000' })
  serial!: string;
}

class Submit {
  @ValidateNested({ each: true })
  @Type(() => Card)
  @ArrayMinSize(1)
  cards!: Card[];
}

describe('flattenValidationErrors', () => {
  it('builds dotted and indexed paths', () => {
    const errors = [
      err('cards', undefined, [err('3', undefined, [err('serial', { matches: 'serial must look like SN-0000' })])]),
      err('dealer', { isString: 'dealer must be a string', isNotEmpty: 'dealer should not be empty' }),
      err('address', undefined, [err('zip', { length: 'bad zip' })]),
    ];
    expect(flattenValidationErrors(errors)).toEqual([
      { field: 'cards[3].serial', rule: 'matches', message: 'serial must look like SN-0000' },
      { field: 'dealer', rule: 'isString', message: 'dealer must be a string' },
      { field: 'dealer', rule: 'isNotEmpty', message: 'dealer should not be empty' },
      { field: 'address.zip', rule: 'length', message: 'bad zip' },
    ]);
  });

  it('renames whitelist errors to rule "forbidden"', () => {
    expect(flattenValidationErrors([err('extra', { whitelistValidation: 'property extra should not exist' })])).toEqual(
      [{ field: 'extra', rule: 'forbidden', message: 'property extra should not exist' }],
    );
  });
});

describe('createValidationPipe', () => {
  const pipe = createValidationPipe();
  const meta = { type: 'body' as const, metatype: Submit };

  it('throws a validation problem naming nested fields', async () => {
    const error = await pipe
      .transform({ cards: [{ serial: 'SN-0001' }, { serial: 'x' }], extra: true }, meta)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemException);
    const problem = error as ProblemException;
    expect(problem.problemStatus).toBe(400);
    expect(problem.type).toMatch(/\/validation$/);
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        { field: 'cards[1].serial', rule: 'matches', message: 'serial must look like SN-0000' },
        expect.objectContaining({ field: 'extra', rule: 'forbidden' }),
      ]),
    );
  });

  it('transforms valid bodies into class instances', async () => {
    const value = await pipe.transform({ cards: [{ serial: 'SN-0001' }] }, meta);
    expect(value).toBeInstanceOf(Submit);
    expect(value.cards[0]).toBeInstanceOf(Card);
  });
});

describe('createValidationPipe on a body that is not an object', () => {
  const pipe = createValidationPipe();

  it('refuses null, arrays and scalars for a DTO class, naming the body', async () => {
    for (const value of [null, [], [{ cards: [] }], 'text', 12]) {
      const error = await pipe.transform(value, { type: 'body', metatype: Submit }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProblemException);
      expect((error as ProblemException).errors).toEqual([
        { field: 'body', rule: 'isObject', message: 'the body must be a JSON object' },
      ]);
    }
  });

  it('leaves bodies typed as plain objects to their handler', async () => {
    expect(await pipe.transform(null, { type: 'body', metatype: Object })).toBeNull();
  });
});
