import {
  FLAG_EVENT,
  FLAG_REQUEST,
  FLAG_TWO_WAY,
  HEADER_LENGTH,
  HESSIAN2_SERIALIZATION_ID,
  type RequestId,
  ResponseStatus,
  writeHeader,
} from './dubbo-header.js';
import { type DubboFrame } from './frame-decoder.js';

/** A heartbeat carries exactly a serialized null: Hessian2 `N`. */
const HESSIAN_NULL = 0x4e;
const HEARTBEAT_BODY = Buffer.from([HESSIAN_NULL]);

export type EventKind = 'heartbeat-request' | 'heartbeat-response' | 'readonly' | 'writable' | 'other-event' | 'response' | 'request';

function frameWithBody(flag: number, status: number, id: RequestId, body: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(HEADER_LENGTH + body.length);
  writeHeader(frame, 0, {
    isRequest: (flag & FLAG_REQUEST) !== 0,
    twoWay: (flag & FLAG_TWO_WAY) !== 0,
    isEvent: (flag & FLAG_EVENT) !== 0,
    serializationId: HESSIAN2_SERIALIZATION_ID,
    status,
    requestId: id,
    bodyLength: body.length,
  });
  body.copy(frame, HEADER_LENGTH);
  return frame;
}

/** `da bb e2 00 <id> 00 00 00 01 4e`: a two-way heartbeat request. */
export function encodeHeartbeatRequest(id: RequestId): Buffer {
  return frameWithBody(FLAG_REQUEST | FLAG_TWO_WAY | FLAG_EVENT, 0, id, HEARTBEAT_BODY);
}

/** `da bb 22 14 <id> 00 00 00 01 4e`: the answer to a heartbeat, echoing its id. */
export function encodeHeartbeatResponse(id: RequestId): Buffer {
  return frameWithBody(FLAG_EVENT, ResponseStatus.OK, id, HEARTBEAT_BODY);
}

/** The provider's one-way readonly (`"R"`) or writable (`"W"`) event, as a provider sends it. */
export function encodeReadonlyEvent(id: RequestId, writable = false): Buffer {
  return frameWithBody(FLAG_REQUEST | FLAG_EVENT, 0, id, Buffer.from([0x01, writable ? 0x57 : 0x52]));
}

/**
 * What a frame is, for the connection's dispatch. Event payloads other than null are R/W events;
 * when they are not Hessian2 (a 3.2 provider may use fastjson2) the last byte still tells R from W.
 */
export function classifyFrame(frame: DubboFrame): EventKind {
  if (!frame.isEvent) {
    return frame.isRequest ? 'request' : 'response';
  }
  const body = frame.body;
  if (!frame.isRequest) {
    return 'heartbeat-response';
  }
  if (body.length === 1 && body[0] === HESSIAN_NULL) {
    return 'heartbeat-request';
  }
  const last = body[body.length - 1];
  if (last === 0x52) {
    return 'readonly';
  }
  if (last === 0x57) {
    return 'writable';
  }
  return 'other-event';
}
