import { Controller, Get, HttpException, HttpStatus, Inject } from '@nestjs/common';
import { type DubboClientSnapshot, GenericClient } from 'nestjs-dubbo-generic';

/** Readiness of the Dubbo client: 200 with the snapshot when ready, 503 with the same body otherwise. */
@Controller('health')
export class HealthController {
  constructor(@Inject(GenericClient) private readonly dubbo: GenericClient) {}

  @Get()
  health(): DubboClientSnapshot {
    const snapshot = this.dubbo.snapshot();
    if (this.dubbo.status !== 'ready') {
      throw new HttpException(snapshot, HttpStatus.SERVICE_UNAVAILABLE);
    }
    return snapshot;
  }
}
