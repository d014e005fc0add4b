import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { DEALER_CODE_REGEX, QUARTER_REGEX } from '@app/contracts';
import { AgreementTermsDto } from '@app/dealer-directory';
import { PageQuery } from '@app/platform';

/** At most this many dealers named in one simulation (a region takes all of its dealers). */
export const MAX_SIMULATED_DEALERS = 1000;

const quarterRule = (field: string) => ({ message: `${field} must be YYYY-Qn from 2000-Q1 to 2099-Q4` });

/** What-if: proposed terms for some dealers over a range of past quarters. */
export class StartSimulationDto {
  @ApiPropertyOptional({
    type: [String],
    example: ['D001', 'D002'],
    maxItems: MAX_SIMULATED_DEALERS,
    description: 'The dealers (codes) to simulate; one dealer is a list of one. Either this or region.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SIMULATED_DEALERS)
  @Matches(DEALER_CODE_REGEX, { each: true, message: 'each value in dealerCodes must be a dealer code' })
  dealerCodes?: string[];

  @ApiPropertyOptional({
    example: 'East',
    maxLength: 100,
    description: 'Every dealer of this region with an agreement. Either this or dealerCodes.',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  region?: string;

  @ApiProperty({ example: '2026-Q1', description: 'First quarter recomputed (YYYY-Qn)' })
  @Matches(QUARTER_REGEX, quarterRule('fromQuarter'))
  fromQuarter!: string;

  @ApiProperty({
    example: '2026-Q2',
    description:
      'Last quarter recomputed (YYYY-Qn): not after the current quarter, at most 8 quarters from fromQuarter',
  })
  @Matches(QUARTER_REGEX, quarterRule('toQuarter'))
  toQuarter!: string;

  @ApiProperty({
    type: AgreementTermsDto,
    description:
      'The proposed agreement terms (DOMAIN §2, validated as an agreement version, R-AGR-1; anything left out takes the seed default), in place of every agreement version of the dealers in the quarters simulated',
  })
  @IsObject()
  @ValidateNested()
  @Type(() => AgreementTermsDto)
  terms!: AgreementTermsDto;
}

export class SimulationListQuery extends PageQuery {}

export class SimulationResultsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only this dealer (dealer code)', example: 'D001' })
  @IsOptional()
  @Matches(DEALER_CODE_REGEX, { message: 'dealer must be a dealer code' })
  dealer?: string;
  @ApiPropertyOptional({ description: 'Only this quarter (YYYY-Qn)', example: '2026-Q1' })
  @IsOptional()
  @Matches(QUARTER_REGEX, quarterRule('quarter'))
  quarter?: string;
}
