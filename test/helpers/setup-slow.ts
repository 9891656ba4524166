import { jest } from '@jest/globals';

// Integration and e2e tests start JVMs and wait on real networks: give them room.
jest.setTimeout(180_000);
