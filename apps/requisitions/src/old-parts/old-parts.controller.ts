import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiParam } from '@nestjs/swagger';
import { ApiDoc, ApiProblems, ApiTag, CurrentPrincipal, domainProblem, Principal, Roles } from '@app/platform';
import { Clock } from '@app/platform';
import { RecordOldPartsDto, RequisitionView } from '../requisitions/requisition.dto';
import { OldPartsService, OldPartsSweep, SweepResult } from './old-parts.service';
import { SweepResultView } from './old-parts.view';

@ApiTag('old-parts', 'Old parts owed back on warranty lines, and their invoicing when late (R-PRT-4)')
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
  @ApiDoc({
    id: 'recordOldParts',
    summary: 'Record old parts received',
    description:
      'Records old parts received back per line of a shipped requisition; partial receipts are allowed, never more than owed.',
    rules: ['R-PRT-4'],
  })
  @ApiParam({ name: 'id', description: 'The requisition id (UUID)', example: '4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8' })
  @ApiOkResponse({ type: RequisitionView, description: 'The requisition with the receipts' })
  @ApiProblems(
    400,
    {
      status: 404,
      detail: 'Requisition 4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8 was not found.',
      description: 'No requisition with this id',
    },
    domainProblem(
      409,
      'REQUISITION_NOT_SHIPPED',
      'Requisition 4e5f… is APPROVED; old parts are owed only after shipment.',
      'Not shipped yet',
    ),
  )
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
  @ApiDoc({
    id: 'sweepOldParts',
    summary: 'Invoice late old parts now',
    description:
      'Runs the old-part sweep now (it also runs hourly): old parts still owed after their due date are invoiced to the dealer at cost, exactly once per line.',
    rules: ['R-PRT-4'],
  })
  @ApiOkResponse({ type: SweepResultView, description: 'What this run invoiced' })
  run(): Promise<SweepResult> {
    return this.sweep.run(this.clock.now());
  }
}
