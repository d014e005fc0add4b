import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DealerFilter } from '@app/platform';
import { MonthlyReportView } from '../reports/monthly-report.dto';

export class UploadRowErrorView {
  @ApiProperty({ example: '每月销售统计表' }) sheet!: string;
  @ApiProperty({
    type: 'integer',
    example: 5,
    description: 'Row number in the sheet or CSV file (the header is row 1)',
  })
  row!: number;
  @ApiProperty({
    example: 'units',
    nullable: true,
    type: String,
    description: 'Column key (English part of the header)',
  })
  column!: string | null;
  @ApiProperty({
    example: 'isInt',
    description:
      'The rule broken, named as in validation problems (required, isInt, calendarDate, requiredColumn…; an R-CARD-1 code for a card)',
  })
  rule!: string;
  @ApiProperty({ example: 'units must be a whole number' }) reason!: string;
  @ApiPropertyOptional({ example: 'DUPLICATE_SERIAL', description: 'R-CARD-1 reject code for a warranty-card row' })
  code?: string;
}

export class UploadFormView {
  @ApiProperty({ example: 'sales' }) form!: string;
  @ApiProperty({ example: '每月销售统计表' }) sheet!: string;
  @ApiProperty({ type: 'integer', description: 'Data rows read (blank rows skipped)' }) rows!: number;
  @ApiProperty({ type: 'integer' }) accepted!: number;
  @ApiProperty({ type: 'integer' }) rejected!: number;
  @ApiProperty({
    description: 'Whether a new version of the part was stored (a sheet with no good row stores nothing)',
  })
  submitted!: boolean;
  @ApiPropertyOptional({ type: 'integer', description: 'The new version of the part' }) version?: number;
}

export class UploadCardResultView {
  @ApiProperty() sheet!: string;
  @ApiProperty({ type: 'integer' }) row!: number;
  @ApiProperty({ nullable: true, type: String }) serial!: string | null;
  @ApiProperty({ enum: ['ACCEPTED', 'REJECTED'] }) status!: 'ACCEPTED' | 'REJECTED';
  @ApiPropertyOptional() code?: string;
  @ApiPropertyOptional() field?: string;
  @ApiPropertyOptional() reason?: string;
  @ApiProperty({ type: [String] }) flags!: string[];
}

export class UploadCardsView {
  @ApiProperty({ type: [String] }) batchIds!: string[];
  @ApiProperty({ type: 'integer' }) accepted!: number;
  @ApiProperty({ type: 'integer' }) rejected!: number;
  @ApiProperty({ type: [UploadCardResultView], description: 'One result per card row (R-CARD-1)' })
  results!: UploadCardResultView[];
}

export class UploadResultView {
  @ApiProperty() dealerCode!: string;
  @ApiProperty() month!: string;
  @ApiProperty({ type: [UploadFormView] }) forms!: UploadFormView[];
  @ApiProperty({
    type: [UploadRowErrorView],
    description: 'Every rejected row with sheet, row number, column and reason (R-REP-3)',
  })
  errors!: UploadRowErrorView[];
  @ApiProperty({ type: [String], description: 'Sheets or files that are not one of the forms, ignored' })
  ignored!: string[];
  @ApiProperty({ type: UploadCardsView, nullable: true }) warrantyCards!: UploadCardsView | null;
  @ApiProperty({ type: MonthlyReportView, description: 'The report after the upload' }) report!: MonthlyReportView;
}

export class ReportTemplateQuery {
  @DealerFilter({
    description:
      "Whose outlets the template's drop-down list offers (the dealer and its sub-distributors); a dealer always gets its own. Without it (other roles), the outlet column has no list.",
  })
  dealer?: string;
}
