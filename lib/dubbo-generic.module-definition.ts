import { ConfigurableModuleBuilder } from '@nestjs/common';
import { type DubboGenericModuleOptions } from './interfaces/dubbo-generic-options.interface.js';

export const {
  ConfigurableModuleClass: DubboGenericConfigurableModule,
  MODULE_OPTIONS_TOKEN: DUBBO_GENERIC_MODULE_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<DubboGenericModuleOptions>({ moduleName: 'DubboGeneric' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createDubboGenericOptions')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/** @publicApi */
export type DubboGenericModuleAsyncOptions = typeof ASYNC_OPTIONS_TYPE;
