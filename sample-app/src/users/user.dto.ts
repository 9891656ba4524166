import { BadRequestException } from '@nestjs/common';

export const USER_STATUSES = ['ACTIVE', 'SUSPENDED', 'DELETED'] as const;
/** org.apache.dubbo.test.UserStatus */
export type UserStatus = (typeof USER_STATUSES)[number];

/** org.apache.dubbo.test.User as this API shows it. */
export interface User {
  id: number;
  name: string;
  age: number;
  /** java.util.Date */
  createdAt: Date | null;
  tags: string[];
  attrs: Record<string, string>;
  status: UserStatus | null;
  /** java.math.BigDecimal, as its exact decimal text. */
  balance: string | null;
}

/** What POST /users accepts. */
export interface CreateUserRequest {
  name: string;
  age?: number;
  /** ISO-8601 text or epoch milliseconds; now when absent. */
  createdAt?: string | number;
  tags?: string[];
  attrs?: Record<string, string>;
  status?: UserStatus;
  /** Decimal text (exact) or a number. */
  balance?: string | number;
}

const DECIMAL = /^[+-]?\d+(\.\d+)?$/;

function isStringRecord(value: unknown): value is Record<string, string> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

/** Validates the untrusted body of POST /users and builds the User to send (id 0 = assign one). */
export function parseCreateUser(body: unknown): Omit<User, 'createdAt'> & { createdAt: Date } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new BadRequestException('body must be a JSON object');
  }
  const b = body as Partial<Record<keyof CreateUserRequest, unknown>>;
  if (typeof b.name !== 'string' || b.name.trim() === '') {
    throw new BadRequestException("'name' is required");
  }
  const age = b.age ?? 0;
  if (typeof age !== 'number' || !Number.isInteger(age) || age < 0 || age > 0x7fffffff) {
    throw new BadRequestException("'age' must be a non-negative integer");
  }
  const createdAt = b.createdAt === undefined ? new Date() : new Date(b.createdAt as string | number);
  if (
    (typeof b.createdAt !== 'undefined' && typeof b.createdAt !== 'string' && typeof b.createdAt !== 'number') ||
    Number.isNaN(createdAt.getTime())
  ) {
    throw new BadRequestException("'createdAt' must be an ISO-8601 date or epoch milliseconds");
  }
  const tags = b.tags ?? [];
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string')) {
    throw new BadRequestException("'tags' must be an array of strings");
  }
  const attrs = b.attrs ?? {};
  if (!isStringRecord(attrs)) {
    throw new BadRequestException("'attrs' must be an object of strings");
  }
  const status = b.status ?? 'ACTIVE';
  if (!USER_STATUSES.includes(status as UserStatus)) {
    throw new BadRequestException(`'status' must be one of ${USER_STATUSES.join(', ')}`);
  }
  const balance = typeof b.balance === 'number' ? String(b.balance) : (b.balance ?? '0');
  if (typeof balance !== 'string' || !DECIMAL.test(balance)) {
    throw new BadRequestException("'balance' must be a decimal number");
  }
  return { id: 0, name: b.name, age, createdAt, tags, attrs: { ...attrs }, status: status as UserStatus, balance };
}
