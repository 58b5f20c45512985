/**
 * Which report of a request counts. Both sidecars of a call report it (`reporter="source"` and
 * `reporter="destination"`); counting both doubles every edge. The rule, the same for every
 * telemetry source: a request counts as its destination reported it when the destination has a
 * sidecar whose reports we read, and as its source reported it otherwise (no sidecar there, the
 * request failed before reaching one, or — for direct scrapes — the destination's namespace was
 * not scraped). Destination reports are preferred because they are the server's own view:
 * latency without the network, the mTLS policy it enforced, every attempt it served.
 *
 * Trade-off to know: a client-side outcome the server never saw as such (a `504 UT` timeout of a
 * request the server answered late, a retried attempt) shows as the server reported it.
 */
import { unknown } from './series';

export interface ReportScope {
  /** the namespaces asked for: edges into or out of them are kept */
  namespaces: ReadonlySet<string>;
  /**
   * Whether destination-side reports of this namespace's workloads are read. Prometheus has
   * every sidecar's reports (always true); direct scrapes only those of the namespaces scraped.
   */
  destinationReports(namespace: string): boolean;
}

/** A scope for sources that see every sidecar's reports (Prometheus). */
export function everyReporterScope(namespaces: Iterable<string>): ReportScope {
  return { namespaces: new Set(namespaces), destinationReports: () => true };
}

/** Whether this series is the report the rule chooses, for an edge that touches the scope. */
export function isChosenReport(labels: Record<string, string>, scope: ReportScope): boolean {
  const sourceNamespace = labels.source_workload_namespace ?? unknown;
  const destinationNamespace = labels.destination_workload_namespace ?? unknown;
  if (labels.reporter === 'destination') {
    return (
      (scope.namespaces.has(destinationNamespace) || scope.namespaces.has(sourceNamespace)) &&
      scope.destinationReports(destinationNamespace)
    );
  }
  if (labels.reporter !== 'source') return false;
  const reachedSidecar = (labels.destination_workload ?? unknown) !== unknown;
  if (reachedSidecar && scope.destinationReports(destinationNamespace)) return false;
  const serviceNamespace = labels.destination_service_namespace ?? unknown;
  return scope.namespaces.has(sourceNamespace) || scope.namespaces.has(serviceNamespace);
}
