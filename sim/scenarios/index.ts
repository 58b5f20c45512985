/** The scenarios the simulator can start with, by name. */
import type { SimulatedCluster } from '../cluster/cluster';
import type { KubeObject } from '../cluster/types';
import { bookinfoObjects } from './bookinfo';
import { namespace } from './builders';
import { chaosObjects, makeOneReviewsPodFlaky } from './chaos';
import { largeObjects } from './large';

export interface ScenarioOptions {
  seed: number;
  services: number;
  namespaces: number;
}

export interface Scenario {
  name: string;
  description: string;
  /** whether Istio (its CRDs and istio-system) is installed */
  istio: boolean;
  objects(options: ScenarioOptions): KubeObject[];
  /** changes made once the controllers have started the pods */
  afterStart?(cluster: SimulatedCluster): void;
}

export const scenarios: Scenario[] = [
  {
    name: 'bookinfo',
    description: "Istio's Bookinfo sample in `default`, canary-ready (reviews split 50/50 between v1 and v3)",
    istio: true,
    objects: () => bookinfoObjects(),
  },
  {
    name: 'chaos',
    description:
      'Bookinfo with a flaky reviews-v3 pod, a MongoDB without sidecar, a plaintext legacy caller, a DENY policy and calls to external hosts',
    istio: true,
    objects: () => chaosObjects(),
    afterStart: makeOneReviewsPodFlaky,
  },
  {
    name: 'large',
    description:
      'N services (--services, up to 5,000) across M namespaces (--namespaces) in a realistic call tree',
    istio: true,
    objects: (options) => largeObjects(options),
  },
  {
    name: 'bare',
    description: "an empty cluster without Istio, for applying YAML (e.g. Istio's CRD bundle)",
    istio: false,
    objects: () => [namespace('default'), namespace('kube-system'), namespace('kube-public')],
  },
];

export function findScenario(name: string): Scenario {
  const scenario = scenarios.find((candidate) => candidate.name === name);
  if (!scenario) {
    throw new Error(
      `unknown scenario "${name}"; available: ${scenarios.map((candidate) => candidate.name).join(', ')}`,
    );
  }
  return scenario;
}
