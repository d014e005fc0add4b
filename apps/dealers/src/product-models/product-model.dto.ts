import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { MODEL_CODE_REGEX } from '@app/contracts';
import { PageQuery } from '@app/platform';

/** Model codes are stored upper-case, as cards and shipments are normalised; no slash, space or control character. */
export const MODEL_PATTERN = MODEL_CODE_REGEX;

export class PutProductModelDto {
  @ApiProperty({ example: '电动自行车 EB-100' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ example: 'e-bike' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  category?: string;
}

export class ListProductModelsQuery extends PageQuery {}

export class ProductModelView {
  @ApiProperty({ example: 'EB-100' }) model!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) category!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}
