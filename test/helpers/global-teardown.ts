import { releaseEnv } from './global-setup.js';

export default async function globalTeardown(): Promise<void> {
  await releaseEnv();
}
