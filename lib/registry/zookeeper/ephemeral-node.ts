/**
 * The two ZooKeeper writes behind a consumer node: create it as an ephemeral node of this session
 * (with its missing parents, replacing the leftover of an older session), and delete it.
 */
import { sessionHex, ZK, type ZkClient, type ZkStat, zkCode } from './zk-client.js';
import { type ZkContext } from './zk-context.js';

type Requests = Pick<ZkContext, 'request'>;

/** Creates `nodePath` owned by `session`; resolves at once if that session owns it already. */
export async function createEphemeralNode(
  zk: Requests,
  client: ZkClient,
  nodePath: string,
  acl: unknown[],
  session: string,
): Promise<void> {
  const create = (): Promise<string> =>
    zk.request<string>(`create(${nodePath})`, (cb) => client.create(nodePath, undefined, acl, ZK.EPHEMERAL, cb));
  try {
    await create();
  } catch (err) {
    const code = zkCode(err);
    if (code === ZK.NO_NODE) {
      await createParents(zk, client, nodePath, acl);
      await create();
    } else if (code === ZK.NODE_EXISTS) {
      await takeOver(zk, client, nodePath, session, create);
    } else {
      throw err;
    }
  }
}

/** Deletes a node; one already gone counts as deleted. */
export async function deleteNode(zk: Requests, client: ZkClient, nodePath: string): Promise<void> {
  try {
    await zk.request<void>(`delete(${nodePath})`, (cb) => client.remove(nodePath, -1, cb));
  } catch (err) {
    if (zkCode(err) !== ZK.NO_NODE) {
      throw err;
    }
  }
}

/** Creates missing persistent parents of a node, one request at a time. */
async function createParents(zk: Requests, client: ZkClient, nodePath: string, acl: unknown[]): Promise<void> {
  const parts = nodePath.split('/').slice(1, -1);
  let current = '';
  for (const part of parts) {
    current += `/${part}`;
    const dir = current;
    try {
      await zk.request<string>(`create(${dir})`, (cb) => client.create(dir, undefined, acl, ZK.PERSISTENT, cb));
    } catch (err) {
      if (zkCode(err) !== ZK.NODE_EXISTS) {
        throw err;
      }
    }
  }
}

/** Our node name exists: keep it if this session owns it, else replace the leftover of an old session. */
async function takeOver(zk: Requests, client: ZkClient, nodePath: string, session: string, create: () => Promise<string>): Promise<void> {
  const stat = await zk.request<ZkStat | null>(`exists(${nodePath})`, (cb) => client.exists(nodePath, undefined, cb));
  if (stat && sessionHex(stat.ephemeralOwner) === session) {
    return;
  }
  if (stat) {
    await deleteNode(zk, client, nodePath);
  }
  await create();
}
