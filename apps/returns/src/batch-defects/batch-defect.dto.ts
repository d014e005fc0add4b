import { ApiProperty } from '@nestjs/swagger';
import { IDENTIFIER_TEXT } from '@app/contracts';
import { upperCased } from '@app/platform';
import { Transform } from 'class-transformer';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { MODEL_PATTERN, modelRule, SERIAL_PATTERN } from '../applications/return.dto';

export class DeclareBatchDefectDto {
  @ApiProperty({ example: 'EB-200' })
  @Transform(upperCased)
  @IsString()
  @Matches(MODEL_PATTERN, modelRule)
  model!: string;
  @ApiProperty({ example: 'EB200-2026-000100', description: 'First serial of the batch (inclusive)' })
  @Transform(upperCased)
  @IsString()
  @Matches(SERIAL_PATTERN, { message: `serialFrom must be ${IDENTIFIER_TEXT.serial}` })
  serialFrom!: string;
  @ApiProperty({
    example: 'EB200-2026-000199',
    description: 'Last serial of the batch (inclusive), same length as serialFrom',
  })
  @Transform(upperCased)
  @IsString()
  @Matches(SERIAL_PATTERN, { message: `serialTo must be ${IDENTIFIER_TEXT.serial}` })
  serialTo!: string;
  @ApiProperty({ example: 'controller lot 7: MOSFET failure' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}

export class BatchDefectView {
  @ApiProperty() id!: string;
  @ApiProperty() model!: string;
  @ApiProperty() serialFrom!: string;
  @ApiProperty() serialTo!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() declaredBy!: string;
  @ApiProperty() declaredAt!: string;
}
