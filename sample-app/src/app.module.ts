import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { DubboGenericModule } from 'nestjs-dubbo-generic';
import { dubboOptionsFromEnv } from './dubbo-config.js';
import { DubboExceptionFilter } from './dubbo-exception.filter.js';
import { GatewayController } from './gateway/gateway.controller.js';
import { HealthController } from './health/health.controller.js';
import { UsersController } from './users/users.controller.js';
import { UsersService } from './users/users.service.js';

@Module({
  imports: [
    DubboGenericModule.forRootAsync({
      useFactory: () => dubboOptionsFromEnv(process.env),
    }),
  ],
  controllers: [UsersController, GatewayController, HealthController],
  providers: [UsersService, { provide: APP_FILTER, useClass: DubboExceptionFilter }],
})
export class AppModule {}
