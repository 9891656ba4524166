import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { LOG_CONTEXT, RESOLVED_OPTIONS } from './dubbo-generic.constants.js';
import { type DubboLogger, silentLogger } from './logging/logger.js';
import { type ResolvedDubboGenericOptions } from './options/resolve-options.js';
import { DubboConsumer } from './consumer/dubbo-consumer.js';

/**
 * The application-scoped owner of everything with a lifetime: the registry session, the connection
 * pool and the reference cache (inside DubboConsumer, which knows nothing of Nest). One per Nest
 * application; nothing is static, so two applications in one process are independent. Internal:
 * applications use GenericClient.
 */
@Injectable()
export class DubboGenericBootstrap implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  /** @internal The engine; reached only through GenericClient. */
  readonly consumer: DubboConsumer;
  private readonly logger: DubboLogger;

  /** @internal */
  constructor(@Inject(RESOLVED_OPTIONS) options: ResolvedDubboGenericOptions) {
    this.logger = options.logger === false ? silentLogger : (options.logger ?? new Logger(LOG_CONTEXT));
    this.consumer = new DubboConsumer(options, { logger: this.logger });
  }

  /** Connects the registry (fails start-up or keeps trying in the background, per options). */
  async onModuleInit(): Promise<void> {
    await this.consumer.start();
  }

  /** Warms declared references; with `check: true` a service without providers fails start-up. */
  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.consumer.warm();
    } catch (err) {
      // Nest runs no shutdown hook after a failed start: release the session and sockets here.
      await this.consumer.close();
      throw err;
    }
  }

  beforeApplicationShutdown(signal?: string): void {
    if (signal) {
      this.logger.log(`shutdown signal ${signal}: draining Dubbo calls after the HTTP server closes`);
    }
  }

  /** Drains in-flight calls (up to shutdownTimeoutMs), then closes sockets and the registry session. */
  async onApplicationShutdown(): Promise<void> {
    await this.consumer.close();
  }
}
