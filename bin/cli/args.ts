import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { type AuthModeFlag, parseAuthMode } from '../dashboard/access';
import { usageError } from './errors';
import { parseHttpUrl, parseInteger, parsePort } from './values';

export const DEFAULT_SCENARIO = 'bookinfo';
export const DEFAULT_SIM_DIR = '.meshscope/sim';
export const DEFAULT_DASHBOARD_PORT = 3000;
export const LOOPBACK = '127.0.0.1';

export interface SimArgs {
  scenario: string;
  /** 0 = any free port */
  port: number;
  address: string | undefined;
  kubeconfigDir: string;
  seed: number | undefined;
  services: number | undefined;
  namespaces: number | undefined;
  prometheusConfig: string | undefined;
}

export interface DemoArgs {
  port: number;
  /** access mode (README "Access"); the demo's default is local */
  auth: AuthModeFlag;
  readOnly: boolean;
  scenario: string;
  withPrometheus: boolean;
  /** size of the simulator's scenario (`large`), passed through to it */
  services: number | undefined;
  namespaces: number | undefined;
}

export interface StartArgs {
  kubeconfig: string | undefined;
  context: string | undefined;
  prometheus: string | undefined;
  port: number;
  address: string;
  readOnly: boolean;
  auth: AuthModeFlag;
  /** extra Host names the dashboard answers to, comma-separated */
  allowedHosts: string | undefined;
}

/** parseArgs in strict mode, with its errors turned into one-line usage errors. */
function parse<const Options extends ParseArgsOptionsConfig>(argv: string[], options: Options) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (error) {
    throw usageError(error instanceof Error ? error.message : String(error));
  }
}

export function parseSimArgs(argv: string[]): SimArgs {
  const { values } = parse(argv, {
    scenario: { type: 'string', default: DEFAULT_SCENARIO },
    port: { type: 'string' },
    address: { type: 'string' },
    'kubeconfig-dir': { type: 'string', default: DEFAULT_SIM_DIR },
    seed: { type: 'string' },
    services: { type: 'string' },
    namespaces: { type: 'string' },
    'prometheus-config': { type: 'string' },
  });
  if ((values.services === undefined) !== (values.namespaces === undefined)) {
    throw usageError('--services and --namespaces go together');
  }
  return {
    scenario: values.scenario,
    port: values.port === undefined ? 0 : parsePort('port', values.port),
    address: values.address,
    kubeconfigDir: values['kubeconfig-dir'],
    seed: values.seed === undefined ? undefined : parseInteger('seed', values.seed, 0),
    services: values.services === undefined ? undefined : parseInteger('services', values.services, 1),
    namespaces:
      values.namespaces === undefined ? undefined : parseInteger('namespaces', values.namespaces, 1),
    prometheusConfig: values['prometheus-config'],
  };
}

export function parseDemoArgs(argv: string[]): DemoArgs {
  const { values } = parse(argv, {
    port: { type: 'string' },
    scenario: { type: 'string', default: DEFAULT_SCENARIO },
    'with-prometheus': { type: 'boolean', default: false },
    auth: { type: 'string' },
    'read-only': { type: 'boolean', default: false },
    services: { type: 'string' },
    namespaces: { type: 'string' },
  });
  if ((values.services === undefined) !== (values.namespaces === undefined)) {
    throw usageError('--services and --namespaces go together');
  }
  return {
    port: values.port === undefined ? DEFAULT_DASHBOARD_PORT : parsePort('port', values.port),
    auth: parseAuthMode(values.auth),
    readOnly: values['read-only'],
    scenario: values.scenario,
    withPrometheus: values['with-prometheus'],
    services: values.services === undefined ? undefined : parseInteger('services', values.services, 1),
    namespaces:
      values.namespaces === undefined ? undefined : parseInteger('namespaces', values.namespaces, 1),
  };
}

export function parseStartArgs(argv: string[]): StartArgs {
  const { values } = parse(argv, {
    kubeconfig: { type: 'string' },
    context: { type: 'string' },
    prometheus: { type: 'string' },
    port: { type: 'string' },
    address: { type: 'string', default: LOOPBACK },
    'read-only': { type: 'boolean', default: false },
    auth: { type: 'string' },
    'allowed-hosts': { type: 'string' },
  });
  return {
    auth: parseAuthMode(values.auth),
    allowedHosts: values['allowed-hosts'],
    kubeconfig: values.kubeconfig,
    context: values.context,
    prometheus: values.prometheus === undefined ? undefined : parseHttpUrl('prometheus', values.prometheus),
    port: values.port === undefined ? DEFAULT_DASHBOARD_PORT : parsePort('port', values.port),
    address: values.address,
    readOnly: values['read-only'],
  };
}
