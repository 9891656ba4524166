/** Polls until the predicate holds (returning its value) or fails after the deadline; no fixed sleeps. */
export async function waitUntil<T>(what: string, predicate: () => T | Promise<T>, timeoutMs = 5000, everyMs = 5): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value !== undefined && value !== null && value !== false) {
      return value as NonNullable<T>;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
