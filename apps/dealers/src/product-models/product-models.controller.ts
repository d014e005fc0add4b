import { Body, Controller, Get, Param, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiParam } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiDoc, ApiPageResponse, ApiProblems, ApiTag, CurrentPrincipal, Page, Principal, Roles } from '@app/platform';
import { ListProductModelsQuery, ProductModelView, PutProductModelDto } from './product-model.dto';
import { ProductModelsService } from './product-models.service';

const MODEL_PARAM = { name: 'model', description: 'The model code (upper-case)', example: 'EB-100' };

@ApiTag('product-models', 'The catalogue of product models and their warranty terms')
@ApiBearerAuth()
@Controller('v1/product-models')
export class ProductModelsController {
  constructor(private readonly models: ProductModelsService) {}

  @Put(':model')
  @Roles('admin', 'finance')
  @ApiDoc({
    id: 'putProductModel',
    summary: 'Create or update a product model',
    description:
      'Puts a model into the catalogue (201 when created, 200 when updated); warranty cards name their model from it.',
    rules: ['R-CARD-1'],
  })
  @ApiParam(MODEL_PARAM)
  @ApiOkResponse({ type: ProductModelView, description: 'Updated' })
  @ApiCreatedResponse({ type: ProductModelView, description: 'Created' })
  @ApiProblems(400)
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
  @ApiDoc({ id: 'listProductModels', summary: 'List product models', description: 'The catalogue by model code.' })
  @ApiPageResponse(ProductModelView, 'One page of models, by code')
  @ApiProblems(400)
  list(@Query() query: ListProductModelsQuery): Promise<Page<ProductModelView>> {
    return this.models.list(query.limit ?? 100, query.cursor);
  }

  @Get(':model')
  @Roles('admin', 'finance', 'after-sales', 'auditor', 'dealer')
  @ApiDoc({ id: 'getProductModel', summary: 'Read a product model', description: 'One model of the catalogue.' })
  @ApiParam(MODEL_PARAM)
  @ApiOkResponse({ type: ProductModelView, description: 'The model' })
  @ApiProblems({
    status: 404,
    detail: 'Product model EB-999 is not in the catalogue.',
    description: 'Not in the catalogue',
  })
  get(@Param('model') model: string): Promise<ProductModelView> {
    return this.models.get(model);
  }
}
