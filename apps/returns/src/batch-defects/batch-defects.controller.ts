import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse } from '@nestjs/swagger';
import { ApiDoc, ApiProblems, ApiTag, CurrentPrincipal, Principal, Roles } from '@app/platform';
import { BatchDefectView, DeclareBatchDefectDto } from './batch-defect.dto';
import { BatchDefectsService } from './batch-defects.service';

@ApiTag(
  'batch-defects',
  'Batch defects declared by after-sales: model and serial ranges returnable as BATCH_DEFECT (R-RET-2)',
)
@ApiBearerAuth()
@Controller('v1/batch-defects')
export class BatchDefectsController {
  constructor(private readonly defects: BatchDefectsService) {}

  @Post()
  @HttpCode(201)
  @Roles('after-sales')
  @ApiDoc({
    id: 'declareBatchDefect',
    summary: 'Declare a batch defect',
    description:
      'Declares a defective batch of a model and serial range; return lines in it may then be approved as BATCH_DEFECT.',
    rules: ['R-RET-2'],
  })
  @ApiCreatedResponse({ type: BatchDefectView, description: 'The declared batch defect' })
  @ApiProblems(400)
  declare(@Body() dto: DeclareBatchDefectDto, @CurrentPrincipal() principal: Principal): Promise<BatchDefectView> {
    return this.defects.declare(dto, principal);
  }

  @Get()
  @Roles('after-sales', 'finance', 'auditor', 'admin', 'dealer')
  @ApiDoc({
    id: 'listBatchDefects',
    summary: 'List batch defects',
    description: 'Every declared batch defect.',
    rules: ['R-RET-2'],
  })
  @ApiOkResponse({ type: [BatchDefectView], description: 'The batch defects' })
  list(): Promise<BatchDefectView[]> {
    return this.defects.list();
  }
}
