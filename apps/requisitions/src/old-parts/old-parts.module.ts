import { DynamicModule, Module } from '@nestjs/common';
import { Clock, intervalJob } from '@app/platform';
import { RequisitionsModule } from '../requisitions/requisitions.module';
import { OldPartsController } from './old-parts.controller';
import { OldPartsRepository } from './old-parts.repository';
import { OldPartsService, OldPartsSweep } from './old-parts.service';

export const OLD_PARTS_SWEEP_INTERVAL = 'OLD_PARTS_SWEEP_INTERVAL';
export const OLD_PARTS_SWEEP_JOB = 'OLD_PARTS_SWEEP_JOB';

@Module({})
export class OldPartsModule {
  /** `sweepIntervalMs`: how often the sweep runs; null: never (tests drive it through OldPartsSweep.run or the endpoint). */
  static register(options: { sweepIntervalMs?: number | null } = {}): DynamicModule {
    return {
      module: OldPartsModule,
      imports: [RequisitionsModule],
      controllers: [OldPartsController],
      providers: [
        OldPartsRepository,
        OldPartsService,
        OldPartsSweep,
        { provide: OLD_PARTS_SWEEP_INTERVAL, useValue: options.sweepIntervalMs ?? null },
        intervalJob<[number | null, OldPartsSweep, Clock]>(
          OLD_PARTS_SWEEP_JOB,
          'old-part sweep',
          [OLD_PARTS_SWEEP_INTERVAL, OldPartsSweep, Clock],
          (intervalMs) => intervalMs,
          (_intervalMs, sweep, clock) => sweep.run(clock.now()),
        ),
      ],
      exports: [OldPartsSweep],
    };
  }
}
