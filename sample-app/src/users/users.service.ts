import { Inject, Injectable } from '@nestjs/common';
import { GenericClient, type GenericServiceHandle } from 'nestjs-dubbo-generic';
import { USER_SERVICE, USER_SERVICE_VERSION } from '../dubbo-config.js';
import { type User, type UserStatus } from './user.dto.js';

const USER_CLASS = 'org.apache.dubbo.test.User';

/** A User as a generic call returns it: a map of its fields (plus `class`). */
type RawUser = Record<string, unknown>;

function toUser(raw: RawUser): User {
  const createdAt = raw['createdAt'];
  const balance = raw['balance'];
  return {
    id: Number(raw['id']),
    name: String(raw['name'] ?? ''),
    age: Number(raw['age'] ?? 0),
    createdAt: createdAt instanceof Date ? createdAt : createdAt == null ? null : new Date(createdAt as string | number),
    tags: Array.isArray(raw['tags']) ? (raw['tags'] as unknown[]).map(String) : [],
    attrs: raw['attrs'] && typeof raw['attrs'] === 'object' ? { ...(raw['attrs'] as Record<string, string>) } : {},
    status: (raw['status'] as UserStatus | undefined) ?? null,
    balance: balance == null ? null : String(balance),
  };
}

/**
 * Typed wrapper over org.apache.dubbo.test.UserService 1.0.0, called by generic invocation: no Java
 * jar, the User travels as a map the provider turns into its POJO.
 */
@Injectable()
export class UsersService {
  private readonly users: GenericServiceHandle;

  // Explicit @Inject: the app also runs under tsx, whose transpiler emits no decorator metadata.
  constructor(@Inject(GenericClient) dubbo: GenericClient) {
    this.users = dubbo.service(USER_SERVICE, { version: USER_SERVICE_VERSION });
  }

  async list(): Promise<User[]> {
    const users = await this.users.$invoke<RawUser[] | null>('list', [], []);
    return (users ?? []).map(toUser);
  }

  async get(id: number): Promise<User | null> {
    const user = await this.users.$invoke<RawUser | null>('get', ['long'], [id]);
    return user ? toUser(user) : null;
  }

  async create(user: Omit<User, 'createdAt'> & { createdAt: Date }): Promise<User> {
    const created = await this.users.$invoke<RawUser>('create', [USER_CLASS], [user]);
    return toUser(created);
  }

  delete(id: number): Promise<boolean> {
    return this.users.$invoke<boolean>('delete', ['long'], [id]);
  }
}
