/**
 * A Prometheus configuration that scrapes the whole simulated mesh with one job: the simulator
 * serves every sidecar's series with `namespace` and `pod` labels at `/simulator/v1/metrics`, over
 * HTTPS with its CA and the viewer's token, as Prometheus would scrape a cluster with its own
 * service account.
 */
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';

export interface PrometheusTarget {
  /** the simulator's base URL, `https://127.0.0.1:PORT` */
  url: string;
  caCertificate: string;
  token: string;
  /** seconds between scrapes */
  scrapeIntervalSeconds?: number;
}

export const meshScrapeJob = 'meshscope-sim-mesh';

/** Write the configuration and the CA and token files it refers to (beside it). */
export async function writePrometheusConfig(file: string, target: PrometheusTarget): Promise<void> {
  const directory = dirname(file);
  const caFile = join(directory, 'meshscope-sim-ca.crt');
  const tokenFile = join(directory, 'meshscope-sim-scrape.token');
  await writeFile(caFile, target.caCertificate, { mode: 0o600 });
  await writeFile(tokenFile, target.token, { mode: 0o600 });
  const interval = `${target.scrapeIntervalSeconds ?? 5}s`;
  const address = new URL(target.url);
  const config = {
    global: { scrape_interval: interval, evaluation_interval: interval },
    scrape_configs: [
      {
        job_name: meshScrapeJob,
        scheme: 'https',
        metrics_path: '/simulator/v1/metrics',
        // The series carry their own `namespace` and `pod`; keep them as the sidecars named them.
        honor_labels: true,
        tls_config: { ca_file: caFile },
        authorization: { type: 'Bearer', credentials_file: tokenFile },
        static_configs: [{ targets: [address.host] }],
      },
    ],
  };
  await writeFile(file, stringify(config), { mode: 0o600 });
}
