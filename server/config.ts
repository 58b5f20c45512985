import 'server-only';
import { z } from 'zod';
import type { IgnoreRule } from '@/lib/types/validation';
import { AppError } from './errors';

/**
 * The dashboard's settings, read once from the environment. The launcher (`bin/meshscope.ts`)
 * turns its command-line flags into these variables.
 */
const envSchema = z.object({
  /** Path of a kubeconfig file; unset = client-node's default (KUBECONFIG, ~/.kube/config, in-cluster). */
  MESHSCOPE_KUBECONFIG: z.string().min(1).optional(),
  /** Context to use from the kubeconfig; unset = its current-context. */
  MESHSCOPE_CONTEXT: z.string().min(1).optional(),
  /** Prometheus base URL; unset = discover in the cluster or scrape sidecars directly. */
  MESHSCOPE_PROMETHEUS_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Hide every write control and refuse writes. */
  MESHSCOPE_READ_ONLY: z.stringbool().default(false),
  /**
   * Check Gateway TLS credentials (credentialName) against the cluster's Secrets. Off by default:
   * the dashboard then never lists Secrets (DESIGN.md §3); on, it keeps their names and types only.
   */
  MESHSCOPE_VALIDATE_TLS_CREDENTIALS: z.stringbool().default(false),
  MESHSCOPE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Validation findings to drop, as `istioctl analyze --suppress`: comma-separated `CODE` or
   * `CODE=RESOURCE` (RESOURCE `Kind ns/name` with `*` globs), e.g. `IST0102=Namespace kube-*,IST0118`.
   */
  MESHSCOPE_VALIDATION_IGNORE: z.string().optional(),
  /** Grafana base URL: workload and service pages link to Istio's dashboards there. */
  MESHSCOPE_GRAFANA_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Tracing UI base URL (Jaeger or Zipkin): pages link to the traces of a workload or service. */
  MESHSCOPE_TRACING_URL: z.url({ protocol: /^https?$/ }).optional(),
});

export interface Config {
  kubeconfigPath: string | undefined;
  context: string | undefined;
  prometheusUrl: string | undefined;
  readOnly: boolean;
  /** list Secret names to check Gateway TLS credentials (opt-in) */
  validateTlsCredentials: boolean;
  logLevel: z.infer<typeof envSchema>['MESHSCOPE_LOG_LEVEL'];
  /** findings the validation drops, on top of each object's suppress annotation */
  validationIgnore: IgnoreRule[];
  /** MESHSCOPE_GRAFANA_URL, without a trailing slash */
  grafanaUrl?: string | undefined;
  /** MESHSCOPE_TRACING_URL, without a trailing slash */
  tracingUrl?: string | undefined;
}

/** `CODE` or `CODE=RESOURCE` entries, comma-separated. */
export function parseIgnoreList(text: string | undefined): IgnoreRule[] {
  return (text ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const equals = entry.indexOf('=');
      if (equals < 0) return { code: entry };
      const resource = entry.slice(equals + 1).trim();
      return { code: entry.slice(0, equals).trim(), ...(resource ? { resource } : {}) };
    });
}

/** Empty variables count as unset, as they do for most Unix tools. */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '',
    ),
  );
}

export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const result = envSchema.safeParse(withoutEmpty(env));
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new AppError('internal:config', `Invalid Meshscope configuration: ${problems.join('; ')}`);
  }
  const parsed = result.data;
  return {
    kubeconfigPath: parsed.MESHSCOPE_KUBECONFIG,
    context: parsed.MESHSCOPE_CONTEXT,
    prometheusUrl: parsed.MESHSCOPE_PROMETHEUS_URL,
    readOnly: parsed.MESHSCOPE_READ_ONLY,
    validateTlsCredentials: parsed.MESHSCOPE_VALIDATE_TLS_CREDENTIALS,
    logLevel: parsed.MESHSCOPE_LOG_LEVEL,
    validationIgnore: parseIgnoreList(parsed.MESHSCOPE_VALIDATION_IGNORE),
    grafanaUrl: parsed.MESHSCOPE_GRAFANA_URL?.replace(/\/+$/, ''),
    tracingUrl: parsed.MESHSCOPE_TRACING_URL?.replace(/\/+$/, ''),
  };
}

let cached: Config | undefined;

/** The process's configuration, parsed on first use. */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
