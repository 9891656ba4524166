/**
 * Contestant: this library as an application uses it. A Nest application context with
 * DubboGenericModule.forRoot (ZooKeeper discovery), calls through the injected GenericClient:
 * `client.service(name, { version }).$invoke(method, parameterTypes, args)`, a fresh args array
 * per call. Runs the tsc-compiled library (bench/out/build), as a built application would.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type * as LibraryModule from '../../lib/index.js';
import { libraryEntry } from '../lib/build.js';
import { argValue, serve } from '../lib/harness.js';
import { BYTES, ECHO_TEXT, SERVICE_VERSION, SPECS, userGenericArg } from '../lib/workloads.js';

type Library = typeof LibraryModule;

await serve('nestjs-dubbo-generic', async () => {
  const lib = (await import(libraryEntry())) as Library;
  const app = await NestFactory.createApplicationContext(
    lib.DubboGenericModule.forRoot({ application: 'bench-nestjs-dubbo-generic', registry: { address: argValue('zk') }, logger: false }),
    { logger: false },
  );
  const client = app.get(lib.GenericClient);
  const echo = client.service(SPECS.echo.service, { version: SERVICE_VERSION });
  const users = client.service(SPECS.user.service, { version: SERVICE_VERSION });
  const user = userGenericArg();
  return {
    mode: 'generic $invoke',
    calls: {
      echo: () => echo.$invoke(SPECS.echo.method, SPECS.echo.parameterTypes, [ECHO_TEXT]),
      user: () => users.$invoke(SPECS.user.method, SPECS.user.parameterTypes, [user]),
      bytes: () => echo.$invoke(SPECS.bytes.method, SPECS.bytes.parameterTypes, [BYTES]),
    },
    close: () => app.close(),
  };
});
