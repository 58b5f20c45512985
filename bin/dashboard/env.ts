/**
 * The environment variables the dashboard server reads (parsed by server/config.ts). The launcher
 * sets them from its flags before the app is loaded in this process.
 */
export interface DashboardEnv {
  MESHSCOPE_KUBECONFIG?: string | undefined;
  MESHSCOPE_CONTEXT?: string | undefined;
  MESHSCOPE_PROMETHEUS_URL?: string | undefined;
  MESHSCOPE_READ_ONLY?: 'true' | 'false' | undefined;
}

/** Sets the given variables; `undefined` removes one, absent keys keep the inherited value. */
export function applyDashboardEnv(env: DashboardEnv): void {
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}
