/**
 * Builds an error without capturing a stack trace. For refusals that can come by the tens of
 * thousands in one burst (too many in flight, connection down): capturing async stacks cost
 * ~13 µs each, long enough to make the admitted calls miss their deadlines. The stack of such an
 * error would only show library internals; its message and context say what happened.
 */
export function withoutStack<T>(make: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Whether an error is a refusal for load (the connection's in-flight or queue bound). */
export function isOverloadRefusal(err: unknown): boolean {
  const reason = (err as { context?: { reason?: unknown } } | null)?.context?.reason;
  return reason === 'max-in-flight' || reason === 'max-queued';
}
