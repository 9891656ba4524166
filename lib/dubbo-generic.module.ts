import { Module } from '@nestjs/common';
import { DubboGenericBootstrap } from './dubbo-generic.bootstrap.js';
import { RESOLVED_OPTIONS } from './dubbo-generic.constants.js';
import { DUBBO_GENERIC_MODULE_OPTIONS, DubboGenericConfigurableModule } from './dubbo-generic.module-definition.js';
import { GenericClient } from './generic-client.js';
import { resolveOptions } from './options/resolve-options.js';

/**
 * `DubboGenericModule.forRoot(options)` or `.forRootAsync({ imports, inject, useFactory | useClass |
 * useExisting })`. Global unless `isGlobal: false`. Provides GenericClient.
 * @publicApi
 */
@Module({
  providers: [
    {
      provide: RESOLVED_OPTIONS,
      // Validated once: a bad option fails start-up here with DubboConfigError naming the key.
      useFactory: resolveOptions,
      inject: [DUBBO_GENERIC_MODULE_OPTIONS],
    },
    DubboGenericBootstrap,
    GenericClient,
  ],
  exports: [GenericClient],
})
export class DubboGenericModule extends DubboGenericConfigurableModule {}
