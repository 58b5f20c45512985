import type { Checker } from '../checker';
import { authzRules } from './authz-rules';
import { authzWorkloads } from './authz-workloads';
import { sidecarDeprecations, virtualServiceDeprecations } from './deprecations';
import { drConflicts } from './dr-conflicts';
import { drHost } from './dr-host';
import { drTlsCa } from './dr-tls-ca';
import { exportToCheckers } from './exportto';
import { gatewayConflicts } from './gateway-conflicts';
import { gatewayWorkloads } from './gateway-workloads';
import { istiodStatusCheckers } from './istiod-status';
import { mtlsDestinationRules } from './mtls-destination-rules';
import { mtlsPeerAuthentications } from './mtls-peer-authentications';
import { namespaceInjection } from './namespace-injection';
import { podSidecar } from './pod-sidecar';
import { peerAuthenticationSelector, requestAuthenticationSelector } from './policy-selectors';
import { servicePorts } from './service-ports';
import { serviceEntryAddresses } from './serviceentry-addresses';
import { serviceEntryConflicts } from './serviceentry-conflicts';
import { serviceEntryWorkloadSelector } from './serviceentry-workload-selector';
import { sidecarEgress } from './sidecar-egress';
import { sidecarSelectors } from './sidecar-selectors';
import { telemetrySelectors } from './telemetry-selectors';
import { vsDestinationHosts } from './vs-destination-hosts';
import { vsDestinationSubsets } from './vs-destination-subsets';
import { vsGateways } from './vs-gateways';
import { vsHostConflicts } from './vs-host-conflicts';
import { vsIngressSubsets } from './vs-ingress-subsets';
import { vsRouting } from './vs-routing';

/** Every check, in the order findings are listed for an object. */
export const CHECKERS: readonly Checker[] = [
  vsDestinationHosts,
  vsDestinationSubsets,
  vsGateways,
  vsHostConflicts,
  vsRouting,
  vsIngressSubsets,
  virtualServiceDeprecations,
  drHost,
  drTlsCa,
  drConflicts,
  mtlsDestinationRules,
  gatewayWorkloads,
  gatewayConflicts,
  serviceEntryConflicts,
  serviceEntryAddresses,
  serviceEntryWorkloadSelector,
  sidecarSelectors,
  sidecarEgress,
  sidecarDeprecations,
  telemetrySelectors,
  authzWorkloads,
  authzRules,
  peerAuthenticationSelector,
  requestAuthenticationSelector,
  mtlsPeerAuthentications,
  ...exportToCheckers,
  namespaceInjection,
  podSidecar,
  servicePorts,
  ...istiodStatusCheckers,
];
