import {
  DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { RequisitionsModule } from '../requisitions/requisitions.module';
import { Clock } from '@app/platform';
import { OldPartsController } from './old-parts.controller';
import { OldPartsService, OldPartsSweep } from './old-parts.service';

export const OLD_PARTS_SWEEP_INTERVAL = 'OLD_PARTS_SWEEP_INTERVAL';

/** Runs the sweep every `intervalMs` (null: never — tests drive it through OldPartsSweep.run or the endpoint). */
@Injectable()
export class OldPartsScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OldPartsScheduler.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    @Inject(OLD_PARTS_SWEEP_INTERVAL) private readonly intervalMs: number | null,
    @Inject(OldPartsSweep) private readonly sweep: OldPartsSweep,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.intervalMs) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.sweep.run(this.clock.now());
    } catch (err) {
      this.logger.error(`old-part sweep failed: ${(err as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}

@Module({})
export class OldPartsModule {
  static register(options: { sweepIntervalMs?: number | null } = {}): DynamicModule {
    return {
      module: OldPartsModule,
      imports: [RequisitionsModule],
      controllers: [OldPartsController],
      providers: [
        OldPartsService,
        OldPartsSweep,
        OldPartsScheduler,
        { provide: OLD_PARTS_SWEEP_INTERVAL, useValue: options.sweepIntervalMs ?? null },
      ],
      exports: [OldPartsSweep],
    };
  }
}
