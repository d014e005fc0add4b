import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { DEALER_CODE_REGEX, IDENTIFIER_TEXT } from '@app/contracts';
import { PageQuery, PatternPipe } from '@app/platform';

export const DEALER_CODE_PATTERN = DEALER_CODE_REGEX;
/** The `code` path parameter: a dealer code, or a 400 naming it. */
export const DEALER_CODE_PARAM = new PatternPipe('code', DEALER_CODE_REGEX, IDENTIFIER_TEXT.dealerCode);

export class RegisterDealerDto {
  @ApiProperty({
    pattern: DEALER_CODE_PATTERN.source,
    example: 'D001',
    description: 'Upper-case letters, digits and dashes, at most 32',
  })
  @Matches(DEALER_CODE_PATTERN, { message: `code must be ${IDENTIFIER_TEXT.dealerCode}` })
  code!: string;

  @ApiProperty({ example: '上海永安车行' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ example: '华东' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  region?: string;
}

export class ListDealersQuery extends PageQuery {}

export class DealerView {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) region!: string | null;
  @ApiProperty({ enum: ['ACTIVE', 'SUSPENDED', 'TERMINATED'] }) status!: string;
  @ApiProperty() createdAt!: string;
}

/** The `code` path parameter of the routes under /v1/dealers/{code}. */
export const DEALER_CODE_DOC = { name: 'code', description: 'The dealer code', example: 'D001' };

/** The `month` path parameter of a dealer's monthly report. */
export const REPORT_MONTH_DOC = { name: 'month', description: 'The report month, YYYY-MM', example: '2026-01' };
