'use client';

import { useState } from 'react';
import { EmptyState } from '../EmptyState';
import { ErrorBanner } from '../ErrorBanner';
import { CircuitBreakerEditor } from './CircuitBreakerEditor';
import { RoutePolicyEditor } from './RoutePolicyEditor';
import { asApiError, useResiliencePolicy } from './useResilience';
import { WarningBanners } from './WarningBanners';

/** The faults/timeouts/retries editors of the routes to the service, and its circuit-breaker editor. */
export function ResilienceEditors({ namespace, service }: { namespace: string; service: string }) {
  const query = useResiliencePolicy(namespace, service);
  const [applied, setApplied] = useState<string | null>(null);
  if (query.isPending)
    return (
      <p role="status" className="muted" aria-busy="true">
        Reading the VirtualServices and DestinationRules…
      </p>
    );
  if (query.error)
    return (
      <ErrorBanner
        error={asApiError(query.error)}
        retrying={query.isFetching}
        onRetry={() => void query.refetch()}
      />
    );
  const { virtualServices, destinationRules, warnings } = query.data;
  return (
    <>
      <WarningBanners warnings={warnings} />
      {applied && (
        <p role="status" className="banner" data-testid="resilience-applied">
          {applied}
        </p>
      )}
      <section aria-labelledby="routes-title">
        <h2 id="routes-title">Faults, timeouts and retries</h2>
        {virtualServices.length === 0 ? (
          <EmptyState title="No VirtualService routes to this service">
            <p>
              Fault injection, timeouts and retries are set on VirtualService routes. Create a VirtualService
              for {service} (Istio config) to set them.
            </p>
          </EmptyState>
        ) : (
          virtualServices.flatMap((virtualService) =>
            virtualService.routes.map((route) => (
              <RoutePolicyEditor
                key={`${virtualService.namespace}/${virtualService.name}/${route.index}/${virtualService.resourceVersion}`}
                namespace={namespace}
                service={service}
                virtualService={virtualService}
                route={route}
                onApplied={setApplied}
              />
            )),
          )
        )}
      </section>
      <section aria-labelledby="breaker-title">
        <h2 id="breaker-title">Circuit breaker</h2>
        {destinationRules.length === 0 ? (
          <EmptyState title="No DestinationRule for this service">
            <p>
              Connection-pool limits and outlier detection are set in a DestinationRule for the service’s
              host. Create one (Istio config) to add a circuit breaker.
            </p>
          </EmptyState>
        ) : (
          destinationRules.map((rule) => (
            <CircuitBreakerEditor
              key={`${rule.namespace}/${rule.name}/${rule.resourceVersion}`}
              namespace={namespace}
              service={service}
              rule={rule}
              onApplied={setApplied}
            />
          ))
        )}
      </section>
    </>
  );
}
