/** One simulated cluster: its kinds, objects, users and the operations on them. */
import { Authorizer, type SimulatedUser } from './auth';
import { builtInTypes } from './builtin-types';
import { OpenApiDocuments } from './openapi';
import { ClusterOperations } from './operations';
import { ResourceRegistry } from './registry';
import type { ResourceType } from './resource-type';
import { ObjectStore } from './store';
import type { KubeObject } from './types';
import { SchemaValidator } from './validation';

export class SimulatedCluster {
  readonly registry = new ResourceRegistry();
  readonly store: ObjectStore;
  readonly operations: ClusterOperations;
  readonly authorizer: Authorizer;
  readonly openApi: OpenApiDocuments;

  constructor(users: SimulatedUser[], options: { historyLimit?: number } = {}) {
    this.store = new ObjectStore(options);
    for (const type of builtInTypes()) this.registry.register(type);
    this.operations = new ClusterOperations(this.store, this.registry, new SchemaValidator());
    this.authorizer = new Authorizer(users);
    this.openApi = new OpenApiDocuments(this.registry);
  }

  type(group: string, plural: string): ResourceType {
    const found = this.registry.get(group, plural);
    if (!found) throw new Error(`the simulated cluster serves no ${plural} in group "${group}"`);
    return found;
  }

  /** Create or replace objects as a system component (scenario set-up, controllers). */
  apply(objects: KubeObject[]): void {
    for (const object of objects) {
      const [group, version] = splitApiVersion(object.apiVersion ?? 'v1');
      const type = this.registry
        .all()
        .find(
          (candidate) =>
            candidate.group === group &&
            candidate.kind === object.kind &&
            candidate.versions.some((info) => info.name === version),
        );
      if (!type)
        throw new Error(
          `cannot apply ${object.kind} ${object.metadata.name}: no such kind in ${object.apiVersion}`,
        );
      this.operations.upsertSystem(type, object);
    }
  }
}

export function splitApiVersion(apiVersion: string): [string, string] {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}
