import { ApiProperty } from '@nestjs/swagger';
import { RegisterDealerDto } from '../registry/dealer.dto';

/** Same fields and rules as a dealer: a sub-distributor's code is an outlet code like a dealer's. */
export class RegisterSubDistributorDto extends RegisterDealerDto {}

export class SubDistributorView {
  @ApiProperty() code!: string;
  @ApiProperty() dealerCode!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) region!: string | null;
  @ApiProperty() createdAt!: string;
}
