import { ApiProperty } from '@nestjs/swagger';
import { DEALER_STATUSES } from '@app/contracts';

export class KnownAgreementView {
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 }) version!: number;
  @ApiProperty({ format: 'date', example: '2026-01-01' }) effectiveFrom!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "The agreement's terms as the dealers service published them (AgreementRegistered)",
  })
  terms!: Record<string, unknown>;
}

/** A dealer as this service's projection knows it. */
export class KnownDealerView {
  @ApiProperty({ example: 'D001' }) code!: string;
  @ApiProperty({ example: '杭州东风车行' }) name!: string;
  @ApiProperty({ type: 'string', nullable: true, example: '华东' }) region!: string | null;
  @ApiProperty({ enum: DEALER_STATUSES }) status!: string;
  @ApiProperty({ type: [KnownAgreementView], description: 'Agreement versions, oldest first' })
  agreements!: KnownAgreementView[];
}
