import 'server-only';
import {
  Counter,
  type CounterConfiguration,
  collectDefaultMetrics,
  Gauge,
  type GaugeConfiguration,
  Histogram,
  type HistogramConfiguration,
  Registry,
} from 'prom-client';

/**
 * The dashboard's own metrics: one registry per process, served by `/metrics`. It lives on
 * `globalThis` because Next's dev server re-evaluates modules on every change, and prom-client
 * refuses to register a metric name twice in one registry.
 */
const REGISTRY_KEY = Symbol.for('meshscope.metrics.registry');

type WithRegistry = typeof globalThis & { [REGISTRY_KEY]?: Registry };

function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

export function getMetricsRegistry(): Registry {
  const holder = globalThis as WithRegistry;
  holder[REGISTRY_KEY] ??= createRegistry();
  return holder[REGISTRY_KEY];
}

/** The metric registered under `name`, or a new one: safe to call again after a module reload. */
function registered<M>(name: string, create: (registry: Registry) => M): M {
  const registry = getMetricsRegistry();
  return (registry.getSingleMetric(name) as M | undefined) ?? create(registry);
}

export function gauge<T extends string>(config: Omit<GaugeConfiguration<T>, 'registers'>): Gauge<T> {
  return registered(config.name, (registry) => new Gauge({ ...config, registers: [registry] }));
}

export function counter<T extends string>(config: Omit<CounterConfiguration<T>, 'registers'>): Counter<T> {
  return registered(config.name, (registry) => new Counter({ ...config, registers: [registry] }));
}

export function histogram<T extends string>(
  config: Omit<HistogramConfiguration<T>, 'registers'>,
): Histogram<T> {
  return registered(config.name, (registry) => new Histogram({ ...config, registers: [registry] }));
}
