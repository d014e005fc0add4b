import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@app/platform';
import { BatchDefectView, DeclareBatchDefectDto } from './batch-defect.dto';
import { BatchDefectsService } from './batch-defects.service';

@ApiTags('batch-defects')
@ApiBearerAuth()
@Controller('v1/batch-defects')
export class BatchDefectsController {
  constructor(private readonly defects: BatchDefectsService) {}

  @Post()
  @HttpCode(201)
  @Roles('after-sales')
  @ApiCreatedResponse({
    type: BatchDefectView,
    description: 'Lines of this model and serial range may then be approved as BATCH_DEFECT (R-RET-2)',
  })
  declare(@Body() dto: DeclareBatchDefectDto, @CurrentPrincipal() principal: Principal): Promise<BatchDefectView> {
    return this.defects.declare(dto, principal);
  }

  @Get()
  @Roles('after-sales', 'finance', 'auditor', 'admin', 'dealer')
  @ApiOkResponse({ type: [BatchDefectView] })
  list(): Promise<BatchDefectView[]> {
    return this.defects.list();
  }
}
