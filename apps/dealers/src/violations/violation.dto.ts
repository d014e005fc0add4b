import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { PenaltyInputDto, PenaltyInputView } from '../complaints/penalty-input.dto';

export const DEFAULT_VIOLATION_KIND = 'UNLICENSED_TECHNICIAN';

/** A violation of the agreement, e.g. an unlicensed technician (DOMAIN §6). */
export class RecordViolationDto extends PenaltyInputDto {
  @ApiPropertyOptional({
    example: DEFAULT_VIOLATION_KIND,
    default: DEFAULT_VIOLATION_KIND,
    description: 'Upper-case code of the kind of violation',
  })
  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9_]{0,63}$/, { message: 'kind must be an upper-case code such as UNLICENSED_TECHNICIAN' })
  kind?: string;
}

export class ViolationView extends PenaltyInputView {
  @ApiProperty({ example: DEFAULT_VIOLATION_KIND }) kind!: string;
}
