import { Injectable } from '@nestjs/common';
import { ProductModelsService } from '../product-models/product-models.service';
import { DealersService } from '../registry/dealers.service';
import { SubDistributorsService } from '../sub-distributors/sub-distributors.service';
import { buildReportTemplate } from './report-template';

/** The upload template with the drop-down lists of one dealer (its outlets) and of the catalogue (models). */
@Injectable()
export class ReportTemplateService {
  constructor(
    private readonly dealers: DealersService,
    private readonly subDistributors: SubDistributorsService,
    private readonly models: ProductModelsService,
  ) {}

  /** For a dealer (404 when unknown), or for none: then the outlet column has no list. */
  async build(dealerCode: string | undefined): Promise<Buffer> {
    if (dealerCode !== undefined) await this.dealers.requireExisting(dealerCode);
    const outlets = dealerCode !== undefined ? [...(await this.subDistributors.outletsOf(dealerCode))] : [];
    return buildReportTemplate({
      dealerCode: dealerCode ?? null,
      outlets,
      models: await this.models.allModels(),
    });
  }
}
