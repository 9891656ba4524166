/**
 * Public entry point: everything exported here is the package's API; nothing else is reachable.
 */
export * from './errors/index.js';
