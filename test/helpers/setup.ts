// Any unhandled rejection or MaxListenersExceededWarning in a test process is a bug: fail loudly.
// Installed once per worker process (this file runs once per test file), identified by name.
function failOnUnhandledRejection(reason: unknown): void {
  throw reason instanceof Error ? reason : new Error(`unhandled rejection: ${String(reason)}`);
}
function failOnMaxListeners(warning: Error): void {
  if (warning.name === 'MaxListenersExceededWarning') {
    throw warning;
  }
}
if (!process.listeners('unhandledRejection').some((l) => l.name === failOnUnhandledRejection.name)) {
  process.on('unhandledRejection', failOnUnhandledRejection);
}
if (!process.listeners('warning').some((l) => l.name === failOnMaxListeners.name)) {
  process.on('warning', failOnMaxListeners);
}
