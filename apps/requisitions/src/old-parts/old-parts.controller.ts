import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@app/platform';
import { Clock } from '@app/platform';
import { RecordOldPartsDto, RequisitionView } from '../requisitions/requisition.dto';
import { OldPartsService, OldPartsSweep, SweepResult } from './old-parts.service';

@ApiTags('old-parts')
@ApiBearerAuth()
@Controller('v1')
export class OldPartsController {
  constructor(
    private readonly oldParts: OldPartsService,
    private readonly sweep: OldPartsSweep,
    private readonly clock: Clock,
  ) {}

  @Post('requisitions/:id/old-parts')
  @HttpCode(200)
  @Roles('after-sales')
  @ApiOkResponse({
    type: RequisitionView,
    description: 'R-PRT-4: old parts received per line (partial receipts allowed, never more than owed)',
  })
  record(
    @Param('id') id: string,
    @Body() dto: RecordOldPartsDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RequisitionView> {
    return this.oldParts.record(id, dto, principal);
  }

  @Post('old-parts/sweep')
  @HttpCode(200)
  @Roles('admin', 'after-sales')
  @ApiOkResponse({ description: 'R-PRT-4: runs the old-part sweep now (it also runs hourly); idempotent' })
  run(): Promise<SweepResult> {
    return this.sweep.run(this.clock.now());
  }
}
