import { Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiAmount, ApiCount } from '@app/platform';

/** The finance inputs as they are stored and answered (DOMAIN §6). */

class FinanceInputBase {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'ERP-RC-2026-0001', description: 'External document number; the input is idempotent on it' })
  reference!: string;
  @ApiProperty({ example: 'D001' }) dealerCode!: string;
  @ApiProperty({ example: 'finance-alice' }) recordedBy!: string;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
}

class MoneyInput extends FinanceInputBase {
  @ApiAmount({ example: '150000.00' }) amount!: string;
  @ApiProperty({ type: 'string', nullable: true }) note!: string | null;
}

export class CollectionView extends MoneyInput {
  @ApiProperty({ format: 'date', example: '2026-01-15', description: 'Value date of the collection' })
  valueDate!: string;
}

export class PurchaseView extends MoneyInput {
  @ApiProperty({ format: 'date', example: '2026-01-20', description: 'Invoice date of the purchase' })
  invoiceDate!: string;
}

export class BreachView extends FinanceInputBase {
  @ApiProperty({ example: '2026-Q1' }) quarter!: string;
  @ApiProperty({ example: 'sold outside the territory' }) reason!: string;
}

/** The answer of a bulk import: how many rows were new, how many already recorded, and the inputs. */
export function importResultOf(item: Type<unknown>): Type<unknown> {
  class ImportResultView {
    @ApiCount({ description: 'Rows recorded now' }) created!: number;
    @ApiCount({ description: 'Rows already recorded with the same content' }) unchanged!: number;
    @ApiPropertyOptional({ type: [item] }) items!: unknown[];
  }
  Object.defineProperty(ImportResultView, 'name', { value: `${item.name.replace(/View$/, '')}ImportResult` });
  return ImportResultView;
}
