/**
 * The shared test environment started once per Jest run (global setup) and described to every test
 * worker through environment variables: one ZooKeeper, one Dubbo 3.3 provider with every service and
 * one Dubbo 2.7 provider. Tests that inject faults start private instances with the same launchers.
 */
export interface FixtureEnv {
  zk: string;
  zkPort: number;
  provider3: string;
  provider27: string;
}

export const ENV_KEYS = {
  zk: 'DUBBO_IT_ZK',
  provider3: 'DUBBO_IT_PROVIDER',
  provider27: 'DUBBO_IT_PROVIDER27',
} as const;

export function fixtureEnv(): FixtureEnv {
  const zk = process.env[ENV_KEYS.zk];
  const provider3 = process.env[ENV_KEYS.provider3];
  const provider27 = process.env[ENV_KEYS.provider27];
  if (!zk || !provider3 || !provider27) {
    throw new Error(
      `integration environment missing (${Object.values(ENV_KEYS).join(', ')}); run through 'npm test' or 'npm run test:int' so the global setup starts it`,
    );
  }
  return { zk, zkPort: Number(zk.split(':')[1]), provider3, provider27 };
}
