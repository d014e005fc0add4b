import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { DEALER_CODE_REGEX, QUARTER_REGEX } from '@app/contracts';

/** Filters of the ledger CSV; each one left out means all (no example values, so nothing is pre-filled). */
export class LedgerExportQuery {
  @ApiPropertyOptional({
    description: 'Only this dealer’s entries, by dealer code (e.g. D001)',
    pattern: DEALER_CODE_REGEX.source,
  })
  @IsOptional()
  @Matches(DEALER_CODE_REGEX, { message: 'dealer must be a dealer code' })
  dealer?: string;

  @ApiPropertyOptional({
    description: 'Only entries of this quarter, YYYY-Qn (e.g. 2026-Q1)',
    pattern: QUARTER_REGEX.source,
  })
  @IsOptional()
  @Matches(QUARTER_REGEX, { message: 'quarter must be YYYY-Qn from 2000-Q1 to 2099-Q4' })
  quarter?: string;

  @ApiPropertyOptional({ description: 'Only entries of this account (e.g. dealer-fund:D001)', maxLength: 80 })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  account?: string;
}
