import { SerialsInFlight, sortedUniqueStrings } from './serials-in-flight';

describe('SerialsInFlight', () => {
  it('a claim contends for the serials earlier claims still hold, and for no other', () => {
    const inFlight = new SerialsInFlight();
    const first = inFlight.claim(['A-0001', 'A-0002', 'A-0003']);
    expect([...first.contended]).toEqual([]);
    const second = inFlight.claim(['A-0000', 'A-0002', 'A-0003', 'A-0004']);
    expect([...second.contended]).toEqual(['A-0002', 'A-0003']);
    expect(inFlight.size).toBe(5);
  });

  it('a released claim holds nothing; a serial another claim still holds stays held', () => {
    const inFlight = new SerialsInFlight();
    const first = inFlight.claim(['B-0001', 'B-0002']);
    const second = inFlight.claim(['B-0002', 'B-0003']);
    second.release();
    expect([...inFlight.claim(['B-0002', 'B-0003']).contended]).toEqual(['B-0002']);
    first.release();
    expect([...inFlight.claim(['B-0001']).contended]).toEqual([]);
  });

  it('only the serials a claim got are its own: a third claim contends with the first for a serial the second also wanted', () => {
    const inFlight = new SerialsInFlight();
    inFlight.claim(['C-0001']);
    const second = inFlight.claim(['C-0001', 'C-0002']);
    second.release();
    expect([...inFlight.claim(['C-0001', 'C-0002']).contended]).toEqual(['C-0001']);
  });
});

describe('sortedUniqueStrings', () => {
  it('keeps strings only, sorted as < compares them, each once', () => {
    expect(sortedUniqueStrings(['S-2', 7, 'S-10', null, 'S-2', 'S-1', undefined, 'S-10'])).toEqual([
      'S-1',
      'S-10',
      'S-2',
    ]);
  });
});
