// Jest loads global set-up files outside its ESM transform; tsx lets them use the TypeScript helpers
// (with their NodeNext `.js` import specifiers) unchanged.
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  const env = await tsImport('../../tools/dubbo-env/shared-env.ts', import.meta.url);
  await env.acquireEnv();
}
