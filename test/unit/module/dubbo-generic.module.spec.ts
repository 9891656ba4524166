import 'reflect-metadata';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Injectable, Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  ClientClosedError,
  DubboConfigError,
  DubboGenericModule,
  type DubboGenericModuleOptions,
  type DubboGenericOptionsFactory,
  GenericClient,
  getDubboGenericOptionsToken,
  getGenericClientToken,
} from 'nestjs-dubbo-generic';

const options: DubboGenericModuleOptions = {
  application: 'unit-app',
  registry: { direct: ['dubbo://127.0.0.1:1'] },
  logger: false,
};

@Injectable()
class ConfigService {
  readonly application = 'from-config';
}

@Module({ providers: [ConfigService], exports: [ConfigService] })
class ConfigModule {}

@Injectable()
class OptionsFactory implements DubboGenericOptionsFactory {
  createDubboGenericOptions(): DubboGenericModuleOptions {
    return { ...options, application: 'from-class' };
  }
}

@Module({ providers: [OptionsFactory], exports: [OptionsFactory] })
class FactoryModule {}

@Injectable()
class UsersService {
  constructor(readonly dubbo: GenericClient) {}
}

const opened: TestingModule[] = [];
async function compile(imports: unknown[], providers: unknown[] = []): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({ imports: imports as never[], providers: providers as never[] }).compile();
  opened.push(moduleRef);
  await moduleRef.init();
  return moduleRef;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((m) => m.close()));
});

function applicationOf(moduleRef: TestingModule): string {
  return moduleRef.get<DubboGenericModuleOptions>(getDubboGenericOptionsToken()).application;
}

describe('DubboGenericModule', () => {
  it('forRoot returns a global dynamic module exporting GenericClient', () => {
    const dynamic = DubboGenericModule.forRoot(options);
    expect(dynamic.module).toBe(DubboGenericModule);
    expect(dynamic.global).toBe(true);
    expect(DubboGenericModule.forRoot({ ...options, isGlobal: false }).global).toBe(false);
  });

  it('forRoot provides GenericClient injectable by type', async () => {
    const moduleRef = await compile([DubboGenericModule.forRoot(options)], [UsersService]);
    const users = moduleRef.get(UsersService);
    expect(users.dubbo).toBeInstanceOf(GenericClient);
    expect(moduleRef.get(getGenericClientToken())).toBe(users.dubbo);
    expect(users.dubbo.status).toBe('ready');
    expect(applicationOf(moduleRef)).toBe('unit-app');
  });

  it('forRootAsync with useFactory, imports and inject', async () => {
    const moduleRef = await compile([
      DubboGenericModule.forRootAsync({
        imports: [ConfigModule],
        inject: [ConfigService],
        useFactory: async (config: ConfigService) => ({ ...options, application: config.application }),
      }),
    ]);
    expect(applicationOf(moduleRef)).toBe('from-config');
  });

  it('forRootAsync with useClass', async () => {
    const moduleRef = await compile([DubboGenericModule.forRootAsync({ useClass: OptionsFactory })]);
    expect(applicationOf(moduleRef)).toBe('from-class');
  });

  it('forRootAsync with useExisting', async () => {
    const moduleRef = await compile([DubboGenericModule.forRootAsync({ imports: [FactoryModule], useExisting: OptionsFactory })]);
    expect(applicationOf(moduleRef)).toBe('from-class');
  });

  it('fails start-up with DubboConfigError naming a bad key', async () => {
    const attempt = Test.createTestingModule({
      imports: [DubboGenericModule.forRoot({ ...options, defaults: { timeoutMs: 0 } })],
    }).compile();
    await expect(attempt).rejects.toBeInstanceOf(DubboConfigError);
    await expect(
      Test.createTestingModule({ imports: [DubboGenericModule.forRoot({ ...options, defaults: { timeoutMs: 0 } })] }).compile(),
    ).rejects.toMatchObject({ key: 'defaults.timeoutMs' });
  });

  it('keeps two applications in one process fully independent', async () => {
    const a = await compile([DubboGenericModule.forRoot({ ...options, application: 'app-a' })]);
    const b = await compile([DubboGenericModule.forRoot({ ...options, application: 'app-b' })]);
    expect(a.get(GenericClient)).not.toBe(b.get(GenericClient));
    expect(applicationOf(a)).toBe('app-a');
    expect(applicationOf(b)).toBe('app-b');
    await a.close();
    opened.splice(opened.indexOf(a), 1);
    expect(a.get(GenericClient).status).toBe('closed');
    expect(b.get(GenericClient).status).toBe('ready');
  });

  it('rejects calls after close with ClientClosedError', async () => {
    const moduleRef = await compile([DubboGenericModule.forRoot(options)]);
    const client = moduleRef.get(GenericClient);
    await moduleRef.close();
    opened.splice(opened.indexOf(moduleRef), 1);
    await expect(client.invoke({ service: 'com.acme.S', method: 'm', parameterTypes: [], args: [] })).rejects.toBeInstanceOf(
      ClientClosedError,
    );
  });

  it('rejects a malformed invocation with a typed error before sending anything', async () => {
    const moduleRef = await compile([DubboGenericModule.forRoot(options)]);
    const client = moduleRef.get(GenericClient);
    await expect(client.invoke({ service: 'not a name', method: 'm', parameterTypes: [], args: [] })).rejects.toMatchObject({
      key: 'service',
    });
    await expect(client.invoke({ service: 'a.B', method: 'm', parameterTypes: ['int'], args: [] })).rejects.toMatchObject({
      key: 'parameterTypes',
    });
  });
});
