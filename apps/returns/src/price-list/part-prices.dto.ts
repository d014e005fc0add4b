import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { ApiAmount, IsCalendarDate } from '@app/platform';

export class PartPricesQuery {
  @ApiPropertyOptional({
    example: '2026-02-01',
    description: 'Date of the price in force (default: today, Asia/Shanghai)',
  })
  @IsOptional()
  @IsCalendarDate()
  on?: string;
}

export class PartPriceVersionView {
  @ApiProperty() name!: string;
  @ApiAmount({ example: '180.00' }) listPrice!: string;
  @ApiAmount({ example: '120.00' }) costPrice!: string;
  @ApiProperty({ example: '2026-01-01' }) effectiveFrom!: string;
}

export class PartPricesView {
  @ApiProperty({ example: 'CTRL-48V' }) partNo!: string;
  @ApiProperty({ description: 'Date the price in force is given for' }) on!: string;
  @ApiProperty({
    type: PartPriceVersionView,
    nullable: true,
    description: 'Price in force on `on` (R-PRT-1); null before the first version',
  })
  priceInForce!: PartPriceVersionView | null;
  @ApiProperty({ type: [PartPriceVersionView], description: 'Every version known here, oldest first' })
  versions!: PartPriceVersionView[];
}
