import { SerialsInFlight } from './serials-in-flight';

describe('SerialsInFlight', () => {
  it('claims what no batch holds and reports the rest as contended, in the order given', () => {
    const inFlight = new SerialsInFlight();
    expect(inFlight.claim(['A-0001', 'A-0002', 'A-0003'])).toEqual({ claimed: ['A-0001', 'A-0002', 'A-0003'], contended: [] });
    expect(inFlight.claim(['A-0000', 'A-0002', 'A-0004', 'A-0003'])).toEqual({ claimed: ['A-0000', 'A-0004'], contended: ['A-0002', 'A-0003'] });
    expect(inFlight.size).toBe(5);
  });

  it('releases only what the batch claimed, so a serial another batch still holds stays held', () => {
    const inFlight = new SerialsInFlight();
    const first = inFlight.claim(['B-0001', 'B-0002']);
    const second = inFlight.claim(['B-0002', 'B-0003']);
    inFlight.release(second.claimed);
    expect(inFlight.claim(['B-0002', 'B-0003'])).toEqual({ claimed: ['B-0003'], contended: ['B-0002'] });
    inFlight.release(first.claimed);
    expect(inFlight.claim(['B-0001', 'B-0002'])).toEqual({ claimed: ['B-0001', 'B-0002'], contended: [] });
  });
});
