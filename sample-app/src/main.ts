import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { type LocalDubboEnv, startLocalDubboEnv } from './local-env.js';

const logger = new Logger('SampleApp');

/**
 * Without DUBBO_ZK or DUBBO_DIRECT, starts a local ZooKeeper and the demo provider and points the app
 * at them.
 */
async function localEnvIfNeeded(): Promise<LocalDubboEnv | undefined> {
  if (process.env['DUBBO_ZK'] || process.env['DUBBO_DIRECT']) {
    return undefined;
  }
  logger.log('neither DUBBO_ZK nor DUBBO_DIRECT is set: starting a local ZooKeeper and the demo Dubbo provider');
  const env = await startLocalDubboEnv((line) => logger.log(line));
  process.env['DUBBO_ZK'] = env.zk;
  return env;
}

/**
 * On SIGINT/SIGTERM, Nest closes the application (HTTP server, then the Dubbo client drains its calls)
 * and raises the signal again. This listener joins that close, then stops the local JVMs, and only
 * then lets the signal end the process. While it is registered, Nest's re-raised signal is absorbed.
 */
function stopLocalEnvAfterClose(close: () => Promise<void>, env: LocalDubboEnv): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    void (async () => {
      let failed = false;
      try {
        await close();
      } catch (err) {
        failed = true;
        logger.error(`error while closing the application: ${(err as Error).message}`);
      }
      try {
        await env.stop();
      } catch (err) {
        failed = true;
        logger.error(`error while stopping the local environment: ${(err as Error).message}`);
      }
      for (const s of ['SIGINT', 'SIGTERM'] as const) {
        process.removeListener(s, onSignal);
      }
      if (failed) {
        process.exit(1);
      }
      process.kill(process.pid, signal);
    })();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

async function bootstrap(): Promise<void> {
  const port = Number(process.env['PORT'] ?? 3000);
  const host = process.env['HOST'] ?? '127.0.0.1';
  const env = await localEnvIfNeeded();
  try {
    const app = await NestFactory.create(AppModule);
    app.enableShutdownHooks();
    if (env) {
      stopLocalEnvAfterClose(() => app.close(), env);
    }
    await app.listen(port, host);
    logger.log(`listening on http://${host}:${port} (GET /users, GET /health, POST /invoke)`);
  } catch (err) {
    await env?.stop();
    throw err;
  }
}

bootstrap().catch((err: unknown) => {
  logger.error(`start-up failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
});
