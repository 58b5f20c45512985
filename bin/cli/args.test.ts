import { describe, expect, it } from 'vitest';
import { parseDemoArgs, parseSimArgs, parseStartArgs } from './args';
import { CliError, USAGE_EXIT_CODE } from './errors';

function usageFailure(parse: () => unknown): CliError {
  try {
    parse();
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error('expected a usage error');
}

describe('parseSimArgs', () => {
  it('defaults to bookinfo on any free port, writing kubeconfigs to .meshscope/sim', () => {
    expect(parseSimArgs([])).toEqual({
      scenario: 'bookinfo',
      port: 0,
      address: undefined,
      kubeconfigDir: '.meshscope/sim',
      seed: undefined,
      services: undefined,
      namespaces: undefined,
      prometheusConfig: undefined,
    });
  });

  it('reads every flag of the contract', () => {
    const args = parseSimArgs([
      '--scenario=large',
      '--port',
      '6443',
      '--address',
      '127.0.0.2',
      '--kubeconfig-dir',
      '/tmp/k',
      '--seed',
      '7',
      '--services',
      '500',
      '--namespaces',
      '20',
      '--prometheus-config',
      'prom.yml',
    ]);
    expect(args).toEqual({
      scenario: 'large',
      port: 6443,
      address: '127.0.0.2',
      kubeconfigDir: '/tmp/k',
      seed: 7,
      services: 500,
      namespaces: 20,
      prometheusConfig: 'prom.yml',
    });
  });

  it('refuses bad values and unknown flags with a usage error', () => {
    expect(usageFailure(() => parseSimArgs(['--port', '70000'])).exitCode).toBe(USAGE_EXIT_CODE);
    expect(usageFailure(() => parseSimArgs(['--port', '12ab'])).message).toContain('--port');
    expect(usageFailure(() => parseSimArgs(['--services', '0', '--namespaces', '1'])).message).toContain(
      '--services',
    );
    expect(usageFailure(() => parseSimArgs(['--services', '10'])).message).toContain('go together');
    expect(usageFailure(() => parseSimArgs(['--frobnicate'])).message).toContain('--frobnicate');
    expect(usageFailure(() => parseSimArgs(['--seed=-1'])).message).toContain('--seed');
  });
});

describe('parseDemoArgs', () => {
  it('defaults to port 3000 and bookinfo', () => {
    expect(parseDemoArgs([])).toEqual({
      port: 3000,
      scenario: 'bookinfo',
      withPrometheus: false,
      auth: 'local',
      readOnly: false,
    });
    expect(parseDemoArgs(['--port', '3123', '--with-prometheus'])).toMatchObject({
      port: 3123,
      withPrometheus: true,
    });
  });

  it('passes the size of the large scenario through, both or neither', () => {
    expect(parseDemoArgs(['--scenario', 'large', '--services', '1000', '--namespaces', '50'])).toMatchObject({
      scenario: 'large',
      services: 1000,
      namespaces: 50,
    });
    expect(usageFailure(() => parseDemoArgs(['--services', '1000'])).message).toContain('go together');
  });
});

describe('parseStartArgs', () => {
  it('listens on loopback by default', () => {
    expect(parseStartArgs([])).toEqual({
      kubeconfig: undefined,
      context: undefined,
      prometheus: undefined,
      port: 3000,
      address: '127.0.0.1',
      readOnly: false,
      auth: 'local',
      allowedHosts: undefined,
    });
  });

  it('takes the access mode: local by default, token or header, nothing else', () => {
    expect(parseStartArgs(['--auth', 'token']).auth).toBe('token');
    expect(parseStartArgs(['--auth', 'header', '--allowed-hosts', 'mesh.example.org'])).toMatchObject({
      auth: 'header',
      allowedHosts: 'mesh.example.org',
    });
    expect(usageFailure(() => parseStartArgs(['--auth', 'anonymous'])).message).toContain('--auth');
  });

  it('accepts only http(s) Prometheus URLs', () => {
    expect(parseStartArgs(['--prometheus', 'http://127.0.0.1:9090']).prometheus).toBe(
      'http://127.0.0.1:9090',
    );
    expect(usageFailure(() => parseStartArgs(['--prometheus', 'ftp://x'])).message).toContain('--prometheus');
    expect(usageFailure(() => parseStartArgs(['--prometheus', 'not a url'])).message).toContain(
      '--prometheus',
    );
  });
});
