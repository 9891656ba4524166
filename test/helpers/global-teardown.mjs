import { tsImport } from 'tsx/esm/api';

export default async function globalTeardown() {
  const env = await tsImport('./shared-env.ts', import.meta.url);
  await env.releaseEnv();
}
