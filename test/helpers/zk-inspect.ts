import zookeeper from 'node-zookeeper-client';

/** A provider or consumer node under /dubbo/<interface>/<category>, decoded. */
export interface RegisteredUrl {
  raw: string;
  protocol: string;
  host: string;
  port: number;
  path: string;
  params: Record<string, string>;
}

export function decodeNodeName(name: string): RegisteredUrl {
  const raw = decodeURIComponent(name.replace(/\+/g, ' '));
  const m = /^([a-z0-9+.-]+):\/\/([^/:?]*)(?::(\d+))?\/?([^?]*)(?:\?(.*))?$/i.exec(raw);
  if (!m) {
    throw new Error(`not a URL: ${raw}`);
  }
  const params: Record<string, string> = {};
  for (const pair of (m[5] ?? '').split('&')) {
    if (pair) {
      const eq = pair.indexOf('=');
      params[eq < 0 ? pair : pair.slice(0, eq)] = eq < 0 ? '' : pair.slice(eq + 1);
    }
  }
  return { raw, protocol: m[1] ?? '', host: m[2] ?? '', port: Number(m[3] ?? 0), path: m[4] ?? '', params };
}

/** A short-lived ZooKeeper client for test assertions (never the client under test). */
export class ZkInspector {
  private constructor(private readonly client: zookeeper.Client) {}

  static async connect(connectString: string, auth?: string, timeoutMs = 15000): Promise<ZkInspector> {
    const client = zookeeper.createClient(connectString, { sessionTimeout: 10000, retries: 0 });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        client.close();
        reject(new Error(`test inspector could not connect to ZooKeeper ${connectString} within ${timeoutMs} ms`));
      }, timeoutMs);
      client.once('connected', () => {
        clearTimeout(timer);
        resolve();
      });
      client.connect();
    });
    if (auth) {
      client.addAuthInfo('digest', Buffer.from(auth));
    }
    return new ZkInspector(client);
  }

  children(path: string): Promise<string[]> {
    return new Promise((resolve, reject) => {
      this.client.getChildren(path, (err, children) => {
        if (err) {
          if ((err as { getCode?: () => number }).getCode?.() === zookeeper.Exception.NO_NODE) {
            resolve([]);
            return;
          }
          reject(err);
          return;
        }
        resolve(children);
      });
    });
  }

  async urls(iface: string, category: 'providers' | 'consumers' | 'configurators' | 'routers', root = '/dubbo'): Promise<RegisteredUrl[]> {
    const names = await this.children(`${root}/${iface}/${category}`);
    return names.map(decodeNodeName);
  }

  /** Polls until a URL matching the predicate is registered, or fails with what was there. */
  async waitForUrl(
    iface: string,
    category: 'providers' | 'consumers',
    predicate: (u: RegisteredUrl) => boolean,
    timeoutMs = 30000,
  ): Promise<RegisteredUrl> {
    const deadline = Date.now() + timeoutMs;
    let seen: RegisteredUrl[] = [];
    for (;;) {
      seen = await this.urls(iface, category);
      const hit = seen.find(predicate);
      if (hit) {
        return hit;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `no matching ${category} URL for ${iface} after ${timeoutMs} ms; present: ${seen.map((u) => u.raw).join('\n') || 'none'}`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  close(): void {
    this.client.close();
  }
}
