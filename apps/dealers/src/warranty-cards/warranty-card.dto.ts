import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsObject, IsOptional } from 'class-validator';
import { DealerFilter, MonthFilter, PageQuery } from '@app/platform';

export const MAX_CARDS_PER_BATCH = 5000;

/** Documentation of one card; each card is checked on its own by the R-CARD-1 rules, not by the pipe. */
export class WarrantyCardInputDoc {
  @ApiProperty({ example: 'EB100-2026-000001', description: 'Frame / machine number' }) serial!: string;
  @ApiProperty({ example: 'EB-100' }) model!: string;
  @ApiProperty({ example: '2026-01-10' }) saleDate!: string;
  @ApiPropertyOptional({ example: 'D001', description: 'Dealer or sub-distributor code; defaults to the dealer' })
  outlet?: string;
  @ApiProperty({ example: '张三' }) consumerName!: string;
  @ApiProperty({ example: '13800138000' }) phone!: string;
  @ApiProperty({ example: '上海市浦东新区…' }) address!: string;
}

export class SubmitWarrantyCardsDto {
  @ApiProperty({ type: [WarrantyCardInputDoc], maxItems: MAX_CARDS_PER_BATCH })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_CARDS_PER_BATCH)
  @IsObject({ each: true })
  cards!: Record<string, unknown>[];
}

export class CardResultView {
  @ApiProperty({ type: 'integer' }) index!: number;
  @ApiProperty({ nullable: true, type: String }) serial!: string | null;
  @ApiProperty({ enum: ['ACCEPTED', 'REJECTED'] }) status!: 'ACCEPTED' | 'REJECTED';
  @ApiPropertyOptional() code?: string;
  @ApiPropertyOptional() field?: string;
  @ApiPropertyOptional() reason?: string;
  @ApiProperty({ type: [String], description: 'PHONE_REUSED, SERIAL_NOT_IN_REGISTRY (R-CARD-1)' }) flags!: string[];
}

export class CardBatchResultView {
  @ApiProperty() batchId!: string;
  @ApiProperty() dealerCode!: string;
  @ApiProperty() reportMonth!: string;
  @ApiProperty({ type: 'integer' }) accepted!: number;
  @ApiProperty({ type: 'integer' }) rejected!: number;
  @ApiProperty({ type: [CardResultView] }) results!: CardResultView[];
}

export const CARD_STATUSES = ['ACCEPTED', 'WITHDRAWN'] as const;
export const CARD_FLAGS = ['PHONE_REUSED', 'SERIAL_NOT_IN_REGISTRY'] as const;

export class ListWarrantyCardsQuery extends PageQuery {
  @DealerFilter({ description: 'Dealer code (a dealer always gets its own)' })
  dealer?: string;

  @MonthFilter({ example: '2026-01', description: 'Report month' })
  month?: string;

  @ApiPropertyOptional({ enum: CARD_STATUSES, description: 'Only cards in this status' })
  @IsOptional()
  @IsIn(CARD_STATUSES)
  status?: (typeof CARD_STATUSES)[number];

  @ApiPropertyOptional({ enum: CARD_FLAGS, description: 'Only cards carrying this flag' })
  @IsOptional()
  @IsIn(CARD_FLAGS)
  flag?: (typeof CARD_FLAGS)[number];
}

export class WarrantyCardView {
  @ApiProperty() id!: string;
  @ApiProperty() serial!: string;
  @ApiProperty() dealerCode!: string;
  @ApiProperty() reportMonth!: string;
  @ApiProperty() model!: string;
  @ApiProperty() saleDate!: string;
  @ApiProperty() outlet!: string;
  @ApiProperty() consumerName!: string;
  @ApiProperty() phone!: string;
  @ApiProperty() address!: string;
  @ApiProperty({ enum: CARD_STATUSES }) status!: string;
  @ApiProperty({ type: [String] }) flags!: string[];
  @ApiProperty() batchId!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) withdrawnAt!: string | null;
}
