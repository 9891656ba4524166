import { BadRequestException, Body, Controller, HttpCode, HttpStatus, Inject, Post } from '@nestjs/common';
import { type GenericInvocation, GenericClient } from 'nestjs-dubbo-generic';
import { toJsonSafe } from '../json-safe.js';

/** Upper bound for a caller-chosen deadline. */
export const MAX_GATEWAY_TIMEOUT_MS = 60_000;

/** The JSON body of POST /invoke. */
export interface InvokeRequest {
  service: string;
  version?: string;
  group?: string;
  method: string;
  parameterTypes: string[];
  args: unknown[];
  timeoutMs?: number;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

/** Checks the untrusted body and turns it into an invocation; a 400 names the first bad field. */
export function parseInvokeRequest(body: unknown): GenericInvocation {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new BadRequestException('body must be a JSON object { service, version?, group?, method, parameterTypes, args, timeoutMs? }');
  }
  const b = body as Partial<Record<keyof InvokeRequest, unknown>>;
  if (!isNonEmptyString(b.service)) {
    throw new BadRequestException("'service' must be a Java interface name");
  }
  if (!isNonEmptyString(b.method)) {
    throw new BadRequestException("'method' must be a method name");
  }
  for (const key of ['version', 'group'] as const) {
    if (b[key] !== undefined && typeof b[key] !== 'string') {
      throw new BadRequestException(`'${key}' must be a string when given`);
    }
  }
  const parameterTypes = b.parameterTypes ?? [];
  if (!Array.isArray(parameterTypes) || !parameterTypes.every(isNonEmptyString)) {
    throw new BadRequestException("'parameterTypes' must be an array of Java type names");
  }
  const args = b.args ?? [];
  if (!Array.isArray(args)) {
    throw new BadRequestException("'args' must be an array");
  }
  if (args.length !== parameterTypes.length) {
    throw new BadRequestException(`'args' has ${args.length} values for ${parameterTypes.length} parameter types`);
  }
  if (
    b.timeoutMs !== undefined &&
    (typeof b.timeoutMs !== 'number' || !Number.isInteger(b.timeoutMs) || b.timeoutMs <= 0 || b.timeoutMs > MAX_GATEWAY_TIMEOUT_MS)
  ) {
    throw new BadRequestException(`'timeoutMs' must be an integer between 1 and ${MAX_GATEWAY_TIMEOUT_MS}`);
  }
  const invocation: GenericInvocation = { service: b.service.trim(), method: b.method.trim(), parameterTypes, args };
  if (isNonEmptyString(b.version)) {
    invocation.version = b.version;
  }
  if (isNonEmptyString(b.group)) {
    invocation.group = b.group;
  }
  if (b.timeoutMs !== undefined) {
    invocation.timeoutMs = b.timeoutMs;
  }
  return invocation;
}

/**
 * The generic gateway: forwards a JSON description of a call to any Dubbo service, the way API
 * gateways and test platforms use generic invocation. Answers `{ result }`; failures go through
 * DubboExceptionFilter.
 */
@Controller()
export class GatewayController {
  constructor(@Inject(GenericClient) private readonly dubbo: GenericClient) {}

  @Post('invoke')
  @HttpCode(HttpStatus.OK)
  async invoke(@Body() body: unknown): Promise<{ result: unknown }> {
    const result = await this.dubbo.invoke(parseInvokeRequest(body));
    return { result: toJsonSafe(result) };
  }
}
