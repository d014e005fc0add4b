import { Module } from '@nestjs/common';
import { DealerDirectoryController } from './dealer-directory.controller';
import { DealerDirectoryService } from './dealer-directory.service';

@Module({
  controllers: [DealerDirectoryController],
  providers: [DealerDirectoryService],
  exports: [DealerDirectoryService],
})
export class DealerDirectoryModule {}
