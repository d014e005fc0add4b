import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { DEALER_CODE_PATTERN } from '../registry/dealer.dto';

export class RegisterSubDistributorDto {
  @ApiProperty({ example: 'S001', description: 'Outlet code: upper-case letters, digits and dashes, at most 32; unique among dealers and sub-distributors' })
  @Matches(DEALER_CODE_PATTERN, { message: 'code must be 1-32 upper-case letters, digits or dashes' })
  code!: string;

  @ApiProperty({ example: '余杭分销点' })
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

export class SubDistributorView {
  @ApiProperty() code!: string;
  @ApiProperty() dealerCode!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) region!: string | null;
  @ApiProperty() createdAt!: string;
}
