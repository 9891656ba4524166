import { Inject } from '@nestjs/common';
import { DUBBO_GENERIC_MODULE_OPTIONS } from './dubbo-generic.module-definition.js';
import { GenericClient } from './generic-client.js';

/**
 * The injection token of GenericClient (the class itself), for `overrideProvider()` in tests.
 * @publicApi
 */
export function getGenericClientToken(): typeof GenericClient {
  return GenericClient;
}

/**
 * The token of the raw module options as given to forRoot / forRootAsync.
 * @publicApi
 */
export function getDubboGenericOptionsToken(): string | symbol {
  return DUBBO_GENERIC_MODULE_OPTIONS;
}

/**
 * Injects the raw module options.
 * @publicApi
 */
export const InjectDubboGenericOptions = (): ParameterDecorator => Inject(DUBBO_GENERIC_MODULE_OPTIONS);
