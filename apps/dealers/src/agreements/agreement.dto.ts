import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { FIRST_OF_MONTH_REGEX } from '@app/contracts';
import { AgreementTermsDto } from '@app/dealer-directory';

export { ModelRateDto, PartsChargingDto } from '@app/dealer-directory';

/** Terms of DOMAIN §2 from a month's first day on; anything left out takes the seed default. */
export class CreateAgreementDto extends AgreementTermsDto {
  @ApiProperty({ example: '2026-01-01', description: 'First day of a month from 2000-01 to 2099-12 (R-AGR-1)' })
  @Matches(FIRST_OF_MONTH_REGEX, {
    message: 'effectiveFrom must be the first day of a month from 2000-01 to 2099-12, YYYY-MM-01',
  })
  effectiveFrom!: string;
}

export class AgreementView {
  @ApiProperty() dealerCode!: string;
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty() effectiveFrom!: string;
  @ApiProperty({ description: 'Complete terms, defaults applied' }) terms!: Record<string, unknown>;
  @ApiProperty() createdBy!: string;
  @ApiProperty() createdAt!: string;
}
