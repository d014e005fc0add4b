import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { DEALER_CODE_REGEX, QUARTER_REGEX } from '@app/contracts';
import { IsTimestampWithinLimits, PageQuery } from '@app/platform';
import { STATEMENT_STATUSES } from './statement-rules';

/** A signed amount of one fact: two places, at most 9,999,999,999.99 either way (DOMAIN §9). */
const SIGNED_AMOUNT = /^-?\d{1,10}\.\d{2}$/;
const dealerRule = { message: 'dealer must be a dealer code' };
const quarterRule = { message: 'quarter must be YYYY-Qn from 2000-Q1 to 2099-Q4' };

const dealerDoc = { description: 'Only this dealer (dealer code)', example: 'D001' };
const quarterDoc = { description: 'Only this quarter (YYYY-Qn)', example: '2026-Q1' };

export class StatementListQuery extends PageQuery {
  @ApiPropertyOptional(dealerDoc) @IsOptional() @Matches(DEALER_CODE_REGEX, dealerRule) dealer?: string;
  @ApiPropertyOptional({ enum: STATEMENT_STATUSES, description: 'Only statements in this status (R-SET-8)' })
  @IsOptional()
  @IsIn(STATEMENT_STATUSES)
  status?: string;
}

export class AllStatementsQuery extends StatementListQuery {
  @ApiPropertyOptional(quarterDoc) @IsOptional() @Matches(QUARTER_REGEX, quarterRule) quarter?: string;
}

export class RaiseDisputeDto {
  @ApiProperty({ example: 'The February parts charge counts a controller we returned unused.' })
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  reason!: string;
}

export class ResolveDisputeDto {
  @ApiProperty({ enum: ['REJECTED', 'ACCEPTED'] }) @IsIn(['REJECTED', 'ACCEPTED']) decision!: 'REJECTED' | 'ACCEPTED';
  @ApiPropertyOptional({
    example: '180.00',
    pattern: SIGNED_AMOUNT.source,
    description: 'Signed amount entering the next open statement (R-DSP-2); required when ACCEPTED',
  })
  @ValidateIf((_o: object, value: unknown) => value !== undefined)
  @Matches(SIGNED_AMOUNT, {
    message: 'amount must be a signed decimal with two places, at most 9999999999.99 either way',
  })
  amount?: string;
  @ApiProperty({ example: 'Controller credited back.' }) @IsString() @MinLength(1) @MaxLength(2000) note!: string;
}

export class DisputeListQuery extends PageQuery {
  @ApiPropertyOptional(dealerDoc) @IsOptional() @Matches(DEALER_CODE_REGEX, dealerRule) dealer?: string;
  @ApiPropertyOptional({ enum: ['OPEN', 'REJECTED', 'ACCEPTED'], description: 'Only disputes in this status' })
  @IsOptional()
  @IsIn(['OPEN', 'REJECTED', 'ACCEPTED'])
  status?: string;
}

export class LedgerQuery extends PageQuery {
  @ApiPropertyOptional(dealerDoc) @IsOptional() @Matches(DEALER_CODE_REGEX, dealerRule) dealer?: string;
  @ApiPropertyOptional(quarterDoc) @IsOptional() @Matches(QUARTER_REGEX, quarterRule) quarter?: string;
  @ApiPropertyOptional({ description: 'Only this account', example: 'dealer-fund:D001' })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  account?: string;
  /** Validated as an instant not in the future by AsOfPipe (rules `instant`, `notInFuture`). */
  @ApiPropertyOptional({
    type: 'string',
    format: 'date-time',
    example: '2026-04-01T08:00:00+08:00',
    description: 'The ledger as it stood at this instant (ISO 8601 with offset, not in the future); absent: now',
  })
  @IsOptional()
  @IsString()
  asOf?: string;
}

export class ChainVerificationQuery {
  @ApiPropertyOptional({
    example: '2026-04-01T00:00:00+08:00',
    description: 'Statements posted at or after this instant (ISO 8601)',
  })
  @IsOptional()
  @IsTimestampWithinLimits()
  from?: string;
  @ApiPropertyOptional({ example: '2026-07-01T00:00:00+08:00', description: 'Statements posted before this instant' })
  @IsOptional()
  @IsTimestampWithinLimits()
  to?: string;
}

export class EventsQuery extends PageQuery {
  @ApiPropertyOptional(dealerDoc) @IsOptional() @Matches(DEALER_CODE_REGEX, dealerRule) dealer?: string;
  @ApiPropertyOptional({ description: 'Only events of this type', example: 'WarrantyCardsAccepted' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  type?: string;
  @ApiPropertyOptional({ example: '2026-01-01T00:00:00Z', description: 'ISO 8601 date or date-time, inclusive' })
  @IsOptional()
  @IsTimestampWithinLimits()
  from?: string;
  @ApiPropertyOptional({ example: '2026-04-01T00:00:00Z', description: 'ISO 8601 date or date-time, exclusive' })
  @IsOptional()
  @IsTimestampWithinLimits()
  to?: string;
}
