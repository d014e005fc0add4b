import { ApiProperty } from '@nestjs/swagger';

import { IsModelCodeInput, IsSerialInput } from '@app/platform';

import { IsString, MaxLength, MinLength } from 'class-validator';

export class DeclareBatchDefectDto {
  @ApiProperty({ example: 'EB-200' })
  @IsModelCodeInput()
  model!: string;
  @ApiProperty({ example: 'EB200-2026-000100', description: 'First serial of the batch (inclusive)' })
  @IsSerialInput()
  serialFrom!: string;
  @ApiProperty({
    example: 'EB200-2026-000199',
    description: 'Last serial of the batch (inclusive), same length as serialFrom',
  })
  @IsSerialInput()
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
