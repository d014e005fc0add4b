import { parseShipmentBody } from './shipment-body';
import { checkShipmentLines, shipmentContentHash } from './shipment-lines';

const models = new Set(['EB-100']);

describe('shipment registry import lines', () => {
  it('keeps the good lines and reports every bad one with its line number and reason', () => {
    const { lines, problems } = checkShipmentLines(
      [
        { serial: ' eb100-0001 ', model: 'eb-100' },
        { serial: 'x', model: 'EB-100' },
        { serial: 'EB100-0002', model: 'EB-999' },
        { serial: 'EB100-0001', model: 'EB-100' },
        { serial: 'EB100-0003' },
        { serial: 'EB100-0004', model: 'EB-100' },
      ],
      models,
    );
    expect(lines).toEqual([
      { line: 1, serial: 'EB100-0001', model: 'EB-100' },
      { line: 6, serial: 'EB100-0004', model: 'EB-100' },
    ]);
    expect(problems.map((p) => [p.line, p.code])).toEqual([
      [2, 'INVALID_SERIAL'],
      [3, 'UNKNOWN_MODEL'],
      [4, 'DUPLICATE_IN_REQUEST'],
      [5, 'INVALID_MODEL'],
    ]);
  });

  it('fingerprints content: normalisation-insensitive, order- and dealer-sensitive', () => {
    const a = shipmentContentHash('D001', '2026-01-05', [
      { serial: 'eb100-0001', model: 'eb-100' },
      { serial: 'EB100-0002', model: 'EB-100' },
    ]);
    expect(
      shipmentContentHash('D001', '2026-01-05', [
        { serial: 'EB100-0001', model: 'EB-100' },
        { serial: 'EB100-0002', model: 'EB-100' },
      ]),
    ).toBe(a);
    expect(
      shipmentContentHash('D002', '2026-01-05', [
        { serial: 'EB100-0001', model: 'EB-100' },
        { serial: 'EB100-0002', model: 'EB-100' },
      ]),
    ).not.toBe(a);
    expect(
      shipmentContentHash('D001', '2026-01-06', [
        { serial: 'EB100-0001', model: 'EB-100' },
        { serial: 'EB100-0002', model: 'EB-100' },
      ]),
    ).not.toBe(a);
    expect(
      shipmentContentHash('D001', '2026-01-05', [
        { serial: 'EB100-0002', model: 'EB-100' },
        { serial: 'EB100-0001', model: 'EB-100' },
      ]),
    ).not.toBe(a);
  });
});

describe('shipment import body', () => {
  const ok = { reference: 'DN-1', dealerCode: 'D001', shippedOn: '2026-01-05', serials: [{ serial: 'A', model: 'B' }] };
  const problem = (body: unknown) => {
    try {
      parseShipmentBody(body);
    } catch (e) {
      return (e as { getResponse(): { errors: Array<{ field: string; rule: string }> } })
        .getResponse()
        .errors.map((x) => `${x.field}:${x.rule}`);
    }
    return [];
  };

  it('passes a well-formed import through with its lines untouched', () => {
    const parsed = parseShipmentBody(ok);
    expect(parsed).toMatchObject({ reference: 'DN-1', dealerCode: 'D001', shippedOn: '2026-01-05' });
    expect(parsed.serials).toBe(ok.serials);
  });

  it('names the field and the rule of every header or shape problem', () => {
    expect(problem({ ...ok, reference: '', extra: 1 })).toEqual(
      expect.arrayContaining(['extra:forbidden', 'reference:matches']),
    );
    expect(problem({ ...ok, serials: [] })).toEqual(['serials:arrayMinSize']);
    expect(problem({ ...ok, serials: Array.from({ length: 100_001 }, () => ({})) })).toEqual(['serials:arrayMaxSize']);
    expect(problem({ ...ok, serials: ['x'] })).toEqual(['serials:isObject']);
    expect(problem({ ...ok, shippedOn: '2026-1-5' })).toEqual(['shippedOn:matches']);
  });
});
