import { ApiProperty } from '@nestjs/swagger';
import { ApiCount, ApiTotal } from '@app/platform';

export class InvoicedOldPartView {
  @ApiProperty({ format: 'uuid' }) requisitionId!: string;
  @ApiProperty({ format: 'uuid' }) lineId!: string;
  @ApiProperty({ example: 'CTRL-48V' }) partNo!: string;
  @ApiCount({ example: 1 }) quantity!: number;
  @ApiTotal({ example: '120.00', description: 'At the cost price valued at approval' }) amount!: string;
}

/** R-PRT-4: what one run of the old-part sweep invoiced. */
export class SweepResultView {
  @ApiProperty({ format: 'date', example: '2026-03-01', description: 'The Asia/Shanghai day the sweep ran for' })
  ranFor!: string;
  @ApiProperty({ type: [InvoicedOldPartView], description: 'Old parts invoiced by this run' })
  invoiced!: InvoicedOldPartView[];
}
