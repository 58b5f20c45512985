/**
 * What the resilience editors read and write (docs/api.md, "Resilience editors"):
 * `GET /api/resilience/NAMESPACE/SERVICE/policy`, `PUT .../route-policy`, `PUT .../circuit-breaker`.
 */
import type { ApiWarning } from '../types/api';
import type { PolicyGuidance } from '../types/resilience';
import type { Finding } from '../types/validation';
import type { BreakerSection, CircuitBreakerEdit } from './breaker-edit';
import type { JsonPatchOperation } from './json-patch';
import type { RoutePolicy, RoutePolicyEdit } from './route-policy';

export interface ObjectAccess {
  editable: boolean;
  /** why not, in words */
  reason?: string;
}

export interface EditableVirtualService extends ObjectAccess {
  namespace: string;
  name: string;
  resourceVersion: string;
  hosts: string[];
  gateways: string[];
  /** only the routes that send to the service */
  routes: RoutePolicy[];
  yaml: string;
}

export interface EditableDestinationRule extends ObjectAccess {
  namespace: string;
  name: string;
  resourceVersion: string;
  host: string;
  sections: (BreakerSection & { pods: number; guidance: PolicyGuidance[] })[];
  yaml: string;
}

export interface ResiliencePolicyResponse {
  service: { namespace: string; name: string; fqdn: string };
  virtualServices: EditableVirtualService[];
  /** the DestinationRules for the service's host (usually one) */
  destinationRules: EditableDestinationRule[];
  warnings: ApiWarning[];
}

export interface RoutePolicyChange {
  virtualService: { namespace: string; name: string };
  resourceVersion: string;
  routes: RoutePolicyEdit[];
  dryRun?: boolean;
}

export interface CircuitBreakerChange extends CircuitBreakerEdit {
  destinationRule: { namespace: string; name: string };
  resourceVersion: string;
  dryRun?: boolean;
}

/** A dry run's or a write's outcome; the shape of the config editor's, plus both YAMLs. */
export interface ResilienceWriteResult {
  dryRun: boolean;
  /** the object as stored (dry run: as it would be) */
  object: Record<string, unknown>;
  resourceVersion: string;
  /** the JSON patch sent after the resourceVersion test: only the edited fields */
  operations: JsonPatchOperation[];
  findings: Finding[];
  before: string;
  after: string;
  /** worth a second look, not refused */
  guidance: string[];
}
