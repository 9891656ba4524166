import { tsImport } from 'tsx/esm/api';

export default async function globalTeardown() {
  const env = await tsImport('../../tools/dubbo-env/shared-env.ts', import.meta.url);
  await env.releaseEnv();
}
