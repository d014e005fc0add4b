import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PageQuery } from '@app/platform';
import { STATEMENT_STATUSES } from './statement-rules';

const SIGNED_MONEY = /^-?\d{1,12}\.\d{2}$/;

export class StatementListQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'D001' }) @IsOptional() @IsString() @MaxLength(32) dealer?: string;
  @ApiPropertyOptional({ enum: STATEMENT_STATUSES }) @IsOptional() @IsIn(STATEMENT_STATUSES) status?: string;
}

export class AllStatementsQuery extends StatementListQuery {
  @ApiPropertyOptional({ example: '2026-Q1' }) @IsOptional() @Matches(/^\d{4}-Q[1-4]$/) quarter?: string;
}

export class RaiseDisputeDto {
  @ApiProperty({ example: 'The February parts charge counts a controller we returned unused.' })
  @IsString() @MinLength(3) @MaxLength(2000) reason!: string;
}

export class ResolveDisputeDto {
  @ApiProperty({ enum: ['REJECTED', 'ACCEPTED'] }) @IsIn(['REJECTED', 'ACCEPTED']) decision!: 'REJECTED' | 'ACCEPTED';
  @ApiPropertyOptional({ example: '180.00', description: 'Signed amount entering the next open statement (R-DSP-2); required when ACCEPTED' })
  @IsOptional() @Matches(SIGNED_MONEY, { message: 'amount must be a signed decimal with two places' }) amount?: string;
  @ApiProperty({ example: 'Controller credited back.' }) @IsString() @MinLength(1) @MaxLength(2000) note!: string;
}

export class DisputeListQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(32) dealer?: string;
  @ApiPropertyOptional({ enum: ['OPEN', 'REJECTED', 'ACCEPTED'] }) @IsOptional() @IsIn(['OPEN', 'REJECTED', 'ACCEPTED']) status?: string;
}

export class LedgerQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'D001' }) @IsOptional() @IsString() @MaxLength(32) dealer?: string;
  @ApiPropertyOptional({ example: '2026-Q1' }) @IsOptional() @Matches(/^\d{4}-Q[1-4]$/) quarter?: string;
  @ApiPropertyOptional({ example: 'dealer-fund:D001' }) @IsOptional() @IsString() @MaxLength(80) account?: string;
}

export class EventsQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'D001' }) @IsOptional() @IsString() @MaxLength(32) dealer?: string;
  @ApiPropertyOptional({ example: 'WarrantyCardsAccepted' }) @IsOptional() @IsString() @MaxLength(100) type?: string;
  @ApiPropertyOptional({ example: '2026-01-01T00:00:00Z' }) @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional({ example: '2026-04-01T00:00:00Z' }) @IsOptional() @IsISO8601() to?: string;
}
