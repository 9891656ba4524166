import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type INestApplication } from '@nestjs/common';
import { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Test } from '@nestjs/testing';
import { GenericClient } from 'nestjs-dubbo-generic';
import request from 'supertest';
import { AppModule } from '../../sample-app/src/app.module.js';
import { fixtureEnv } from '../../tools/dubbo-env/fixture-env.js';
import { waitUntil } from '../helpers/wait.js';

const env = fixtureEnv();
const ECHO = 'org.apache.dubbo.test.EchoService';
const GREETING = 'org.apache.dubbo.test.GreetingService';
const FAIL = 'org.apache.dubbo.test.FailService';
const USERS_KEY = 'org.apache.dubbo.test.UserService:1.0.0';

const SAVED_ENV = { DUBBO_ZK: process.env['DUBBO_ZK'], DUBBO_DIRECT: process.env['DUBBO_DIRECT'], DUBBO_APP: process.env['DUBBO_APP'] };

/** `close(signal)` exists on Nest's application class; the INestApplication interface omits the parameter. */
type ClosableWithSignal = { close(signal?: string): Promise<void> };

/** Boots sample-app's AppModule exactly as main.ts configures it, from the environment. */
async function startSampleApp(application: string, listen = false, direct?: string): Promise<INestApplication> {
  process.env['DUBBO_ZK'] = env.zk;
  if (direct === undefined) {
    delete process.env['DUBBO_DIRECT'];
  } else {
    process.env['DUBBO_DIRECT'] = direct;
  }
  process.env['DUBBO_APP'] = application;
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  if (listen) {
    await app.listen(0, '127.0.0.1');
  } else {
    await app.init();
  }
  return app;
}

function restoreEnv(): void {
  for (const [key, value] of Object.entries(SAVED_ENV)) {
    if (value === undefined) {
      delete process.env[key];
    } else {
      process.env[key] = value;
    }
  }
}

describe('sample-app: HTTP gateway over GenericClient, against ZooKeeper and the Dubbo 3.3 and 2.7 providers', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    app = await startSampleApp('sample-app-e2e');
    http = request(app.getHttpServer());
  });
  afterAll(async () => {
    await app?.close();
    restoreEnv();
  });

  it('GET /health answers 200 with the ready snapshot, the warmed UserService reference and its provider', async () => {
    // The reference is warmed at start-up; its provider list fills in from ZooKeeper.
    await waitUntil('a UserService provider in the snapshot', () =>
      app
        .get(GenericClient)
        .snapshot()
        .references.find((r) => r.key === USERS_KEY && r.providers.length > 0),
    );
    const res = await http.get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ready', registry: { kind: 'zookeeper', status: 'connected', address: env.zk } });
    const users = (res.body as { references: Array<{ key: string; providers: Array<{ address: string }> }> }).references.find(
      (r) => r.key === USERS_KEY,
    );
    expect(users?.providers.map((p) => p.address)).toContain(env.provider3);
  });

  it('creates, reads, lists and deletes a User POJO (Date, BigDecimal, enum, List, Map) through the typed endpoints', async () => {
    const createdAt = '2024-02-29T23:59:58.123Z';
    const input = {
      name: 'Ada Lovelace',
      age: 36,
      createdAt,
      tags: ['math', 'engines'],
      attrs: { born: 'London', lang: 'en' },
      status: 'SUSPENDED',
      balance: '1234567890.0100',
    };
    const created = await http.post('/users').send(input).expect(201);
    const user = created.body as Record<string, unknown> & { id: number };
    expect(user).toEqual({ ...input, id: expect.any(Number) });
    expect(user.id).toBeGreaterThan(0);

    const read = await http.get(`/users/${user.id}`).expect(200);
    expect(read.body).toEqual(user);

    const list = await http.get('/users').expect(200);
    expect(list.body).toEqual(expect.arrayContaining([user]));

    await http.delete(`/users/${user.id}`).expect(204);
    await http.get(`/users/${user.id}`).expect(404);
    await http.delete(`/users/${user.id}`).expect(404);
  });

  it('applies defaults and validates POST /users before any Dubbo call', async () => {
    const created = await http.post('/users').send({ name: 'Defaults', balance: 10.5 }).expect(201);
    const user = created.body as { id: number; createdAt: string; status: string; balance: string; tags: unknown[]; attrs: unknown };
    expect(user).toMatchObject({ status: 'ACTIVE', balance: '10.5', tags: [], attrs: {} });
    expect(Number.isNaN(Date.parse(user.createdAt))).toBe(false);
    await http.delete(`/users/${user.id}`).expect(204);

    await http.post('/users').send({ age: 3 }).expect(400);
    await http.post('/users').send({ name: 'x', status: 'UNKNOWN' }).expect(400);
    await http.post('/users').send({ name: 'x', balance: '12,5' }).expect(400);
    await http.get('/users/not-a-number').expect(400);
  });

  it('POST /invoke forwards a generic call: EchoService.echo', async () => {
    const res = await http
      .post('/invoke')
      .send({ service: ECHO, version: '1.0.0', method: 'echo', parameterTypes: ['java.lang.String'], args: ['héllo, wörld'] })
      .expect(200);
    expect(res.body).toEqual({ result: 'héllo, wörld' });
  });

  it('POST /invoke reaches the GreetingService export selected by group and version', async () => {
    const call = (extra: Record<string, string>) =>
      http.post('/invoke').send({ service: GREETING, method: 'greet', parameterTypes: ['java.lang.String'], args: ['Bo'], ...extra });
    expect((await call({ group: 'a', version: '1.0.0' }).expect(200)).body).toEqual({ result: 'a:hello Bo' });
    expect((await call({ group: 'b', version: '1.0.0' }).expect(200)).body).toEqual({ result: 'b:hello Bo' });
    expect((await call({ version: '2.0.0' }).expect(200)).body).toEqual({ result: 'v2:hello Bo' });
    expect((await call({ version: '1.0.0' }).expect(200)).body).toEqual({ result: 'v1:hello Bo' });
  });

  it('POST /invoke returns a Java long beyond 2^53 exactly, as text', async () => {
    const res = await http
      .post('/invoke')
      .send({
        service: 'org.apache.dubbo.test.TypesService',
        version: '1.0.0',
        method: 'echoLong',
        parameterTypes: ['long'],
        args: [{ $class: 'long', $: '9223372036854775807' }],
      })
      .expect(200);
    expect(res.body).toEqual({ result: '9223372036854775807' });
  });

  it('maps a Java business exception to 502 with its class and message, and no stack trace', async () => {
    const res = await http
      .post('/invoke')
      .send({ service: FAIL, version: '1.0.0', method: 'throwChecked', parameterTypes: ['java.lang.String'], args: ['bad input'] })
      .expect(502);
    expect(res.body).toEqual({
      statusCode: 502,
      error: 'REMOTE_SERVICE_ERROR',
      name: 'RemoteServiceError',
      message: 'org.apache.dubbo.test.BusinessException: bad input',
      retriable: false,
      service: FAIL,
      method: 'throwChecked',
      version: '1.0.0',
      javaClass: 'org.apache.dubbo.test.BusinessException',
      remoteMessage: 'bad input',
    });
  });

  it('answers 503 NO_PROVIDER for a service nobody provides', async () => {
    const res = await http
      .post('/invoke')
      .send({ service: 'org.apache.dubbo.test.NoSuchService', version: '1.0.0', method: 'x', parameterTypes: [], args: [] })
      .expect(503);
    expect(res.body).toMatchObject({
      statusCode: 503,
      error: 'NO_PROVIDER',
      retriable: true,
      service: 'org.apache.dubbo.test.NoSuchService',
    });
  });

  it('answers 504 RPC_TIMEOUT when the provider is slower than the caller-chosen deadline', async () => {
    const res = await http
      .post('/invoke')
      .send({ service: ECHO, version: '1.0.0', method: 'sleep', parameterTypes: ['long'], args: [1500], timeoutMs: 150 })
      .expect(504);
    expect(res.body).toMatchObject({ error: 'RPC_TIMEOUT', service: ECHO, method: 'sleep' });
  });

  it('rejects malformed /invoke bodies with 400 naming the field', async () => {
    const res = await http
      .post('/invoke')
      .send({ service: ECHO, method: 'echo', parameterTypes: ['java.lang.String'], args: [] })
      .expect(400);
    expect((res.body as { message: string }).message).toContain("'args' has 0 values for 1 parameter types");
    await http.post('/invoke').send({ method: 'echo', parameterTypes: [], args: [] }).expect(400);
    await http.post('/invoke').send({ service: ECHO, method: 'echo', parameterTypes: [], args: [], timeoutMs: -1 }).expect(400);
  });

  it('answers 400 naming the argument when a value does not fit its Java type, and 400 for separators', async () => {
    const res = await http
      .post('/invoke')
      .send({
        service: 'org.apache.dubbo.test.TypesService',
        version: '1.0.0',
        method: 'echoInt',
        parameterTypes: ['int'],
        args: [2 ** 40],
      })
      .expect(400);
    expect(res.body).toMatchObject({
      error: 'SERIALIZATION_ERROR',
      path: 'args[0]',
      service: 'org.apache.dubbo.test.TypesService',
      method: 'echoInt',
    });
    const sep = await http
      .post('/invoke')
      .send({ service: ECHO, version: '1.0.0/evil', method: 'echo', parameterTypes: ['java.lang.String'], args: ['x'] })
      .expect(400);
    expect(sep.body).toMatchObject({ error: 'CONFIG_INVALID' });
  });
});

describe('sample-app with DUBBO_DIRECT (no registry) against the Dubbo 2.7 provider', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await startSampleApp('sample-app-e2e-direct', false, ` dubbo://${env.provider27} `);
  });
  afterAll(async () => {
    await app?.close();
    restoreEnv();
  });

  it('calls the listed provider directly', async () => {
    const res = await request(app.getHttpServer())
      .post('/invoke')
      .send({ service: ECHO, version: '1.0.0', method: 'echo', parameterTypes: ['java.lang.String'], args: ['direct'] })
      .expect(200);
    expect(res.body).toEqual({ result: 'direct' });
    expect(app.get(GenericClient).snapshot().registry.kind).toBe('direct');
  });

  it('keeps provider stack text out of a 502 even when the Java exception message is a whole stack trace', async () => {
    // Dubbo 2.7 wraps an exception the interface does not declare in a RuntimeException whose message
    // is the original's full stack trace.
    const res = await request(app.getHttpServer())
      .post('/invoke')
      .send({ service: FAIL, version: '1.0.0', method: 'throwProviderOnly', parameterTypes: ['java.lang.String'], args: ['secret'] })
      .expect(502);
    const body = res.body as { javaClass: string; remoteMessage: string; message: string };
    expect(body.javaClass).toBe('java.lang.RuntimeException');
    expect(body.remoteMessage).toContain('ProviderOnlyException');
    expect(body.remoteMessage).toContain('secret');
    expect(res.text).not.toMatch(/\\n|\\tat |javaStack/);
    expect(body.remoteMessage.length).toBeLessThanOrEqual(501);
  });
});

describe("sample-app: app.close('SIGTERM')", () => {
  afterAll(restoreEnv);

  it('lets an in-flight slow call finish with 200 before the Dubbo client drains and closes', async () => {
    const app = await startSampleApp('sample-app-e2e-shutdown', true);
    const client = app.get(GenericClient);
    const server = app.getHttpServer() as Server;
    const events: string[] = [];
    try {
      // Server-side events: when the response was fully written, when the HTTP server closed.
      server.on('request', (_req: IncomingMessage, res: ServerResponse) =>
        res.once('finish', () => events.push(`response ${res.statusCode} sent (dubbo ${client.status})`)),
      );
      server.once('close', () => events.push(`http closed (dubbo ${client.status})`));
      const inFlight = request(server)
        .post('/invoke')
        .send({ service: ECHO, version: '1.0.0', method: 'sleep', parameterTypes: ['long'], args: [500], timeoutMs: 10000 })
        .then((res) => res);
      await waitUntil('the slow call in flight', () => client.snapshot().inFlight === 1, 15000);

      const closing = (app as unknown as ClosableWithSignal)
        .close('SIGTERM')
        .then(() => events.push(`app closed (dubbo ${client.status})`));
      const res = await inFlight;
      await closing;

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ result: 500 });
      // HTTP first (the response is written while the Dubbo client still serves), then the drain.
      expect(events).toEqual(['response 200 sent (dubbo ready)', 'http closed (dubbo ready)', 'app closed (dubbo closed)']);
      expect(server.listening).toBe(false);
    } finally {
      await app.close();
    }
  });
});
