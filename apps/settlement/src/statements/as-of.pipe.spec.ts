import { Clock, ProblemException } from '@app/platform';
import { AsOfPipe } from './as-of.pipe';

const NOW = new Date('2026-12-02T10:00:00.000Z');
const pipe = new AsOfPipe({ now: () => NOW } as Clock);

function refusal(value: string): unknown {
  try {
    pipe.transform(value);
  } catch (e) {
    return (e as ProblemException).getResponse();
  }
  throw new Error(`${value} was accepted`);
}

describe('asOf: an instant with its offset, not in the future', () => {
  it('reads an instant with Z or an offset, with or without seconds and fraction; absent is now', () => {
    expect(pipe.transform('2026-04-01T08:00:00+08:00')).toEqual(new Date('2026-04-01T00:00:00Z'));
    expect(pipe.transform('2026-04-01T00:00Z')).toEqual(new Date('2026-04-01T00:00:00Z'));
    expect(pipe.transform('2026-12-02T10:00:00.000Z')).toEqual(NOW);
    expect(pipe.transform(undefined)).toBeUndefined();
  });

  it.each(['2026-04-01', '2026-04-01T08:00:00', '2026-02-30T00:00:00Z', '1999-12-31T00:00:00Z', 'now', ''])(
    'refuses %p under rule instant',
    (value) => {
      expect(refusal(value)).toMatchObject({ status: 400, errors: [{ field: 'asOf', rule: 'instant' }] });
    },
  );

  it('refuses an instant after now under rule notInFuture', () => {
    expect(refusal('2026-12-02T18:00:00.001+08:00')).toMatchObject({
      status: 400,
      errors: [{ field: 'asOf', rule: 'notInFuture' }],
    });
  });
});
