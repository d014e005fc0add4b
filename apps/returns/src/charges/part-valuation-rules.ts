import { fieldErrorOf } from '@app/platform/problem/field-error';
import type { FieldError } from '../receipt/receipt-rules';
import { PartPriceVersion, priceInForce } from '../price-list/price-list-rules';
import type { RefurbishmentPart } from './assess-return-charges';

/** A refurbishment part as after-sales enters it at closing: which line, which part, how many; never a price. */
export interface UsedPart {
  lineNo: number;
  partNo: string;
  quantity: number;
}

const firstDate = (versions: readonly PartPriceVersion[]) => versions.map((v) => v.effectiveFrom).sort()[0];

/**
 * R-RET-4 (DOMAIN §9): refurbishment parts are valued at the list price in force on the closing date,
 * from the price list as the returns service learned it. A part without a price in force then is an
 * error naming it (`parts[i].partNo`, rule `listPrice`); no price is ever taken from the request.
 */
export function valueRefurbishmentParts(
  parts: readonly UsedPart[],
  priceList: ReadonlyMap<string, readonly PartPriceVersion[]>,
  closedOn: string,
): { parts: RefurbishmentPart[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const valued: RefurbishmentPart[] = [];
  parts.forEach((p, i) => {
    const versions = priceList.get(p.partNo) ?? [];
    const price = priceInForce(versions, closedOn);
    if (price) valued.push({ lineNo: p.lineNo, partNo: p.partNo, quantity: p.quantity, listPrice: price.listPrice });
    else
      errors.push(
        fieldErrorOf(
          `parts[${i}].partNo`,
          'listPrice',
          versions.length === 0
            ? { key: 'reasons.returns.notOnPriceList', args: { partNo: p.partNo, closedOn } }
            : {
                key: 'reasons.returns.noPriceInForce',
                args: { partNo: p.partNo, closedOn, firstDate: firstDate(versions) },
              },
        ),
      );
  });
  return { parts: errors.length > 0 ? [] : valued, errors };
}
