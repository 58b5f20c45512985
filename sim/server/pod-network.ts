/**
 * What the API server needs from the simulated pods: something listening on a pod's port that
 * answers HTTP, and the containers' logs. The mesh (sim/mesh) implements it.
 */
import type { KubeObject } from '../cluster/types';

export interface PodHttpRequest {
  method: string;
  /** path with query string, starting with `/` */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface PodHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

export interface PodListener {
  /**
   * Bound to 127.0.0.1 inside the pod (as Envoy's admin port 15000 is in Istio): reachable only
   * through a port-forward, not through the API server's pod proxy.
   */
  localhostOnly: boolean;
  handle(request: PodHttpRequest): Promise<PodHttpResponse>;
}

export interface LogOptions {
  container: string | undefined;
  tailLines: number | undefined;
  timestamps: boolean;
}

export interface PodNetwork {
  listener(pod: KubeObject, port: number): PodListener | undefined;
  /** the container's log text, or undefined when the container does not exist */
  logs(pod: KubeObject, options: LogOptions): string | undefined;
}
