import { Body, Controller, Get, Param, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Page, Principal, Roles } from '@app/platform';
import { ListProductModelsQuery, ProductModelView, PutProductModelDto } from './product-model.dto';
import { ProductModelsService } from './product-models.service';

@ApiTags('product-models')
@ApiBearerAuth()
@Controller('v1/product-models')
export class ProductModelsController {
  constructor(private readonly models: ProductModelsService) {}

  @Put(':model')
  @Roles('admin', 'finance')
  @ApiOkResponse({ type: ProductModelView, description: '201 when created, 200 when updated' })
  async put(
    @Param('model') model: string,
    @Body() dto: PutProductModelDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProductModelView> {
    const { created, view } = await this.models.put(model, dto, principal);
    reply.status(created ? 201 : 200);
    return view;
  }

  @Get()
  @Roles('admin', 'finance', 'after-sales', 'auditor', 'dealer')
  @ApiOkResponse({ description: 'The catalogue by model code, cursor-paginated' })
  list(@Query() query: ListProductModelsQuery): Promise<Page<ProductModelView>> {
    return this.models.list(query.limit ?? 100, query.cursor);
  }

  @Get(':model')
  @Roles('admin', 'finance', 'after-sales', 'auditor', 'dealer')
  @ApiOkResponse({ type: ProductModelView })
  get(@Param('model') model: string): Promise<ProductModelView> {
    return this.models.get(model);
  }
}
