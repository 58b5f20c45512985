'use client';

import { useQuery } from '@tanstack/react-query';
import { ApiError, apiFetch } from '@/lib/api-fetch';
import { queryKeys } from '@/lib/query-keys';
import { buildWhatIfRequest, EMPTY_WHAT_IF, type WhatIfInputs } from '@/lib/security/page-params';
import type { AuthzCheckResponse, WorkloadAuthz } from '@/lib/types/security';
import { ErrorBanner } from '../ErrorBanner';
import { WhatIfForm } from './WhatIfForm';
import { WhatIfResult } from './WhatIfResult';

export interface WhatIfPanelProps {
  inputs: WhatIfInputs;
  namespaces: readonly string[];
  workloads: readonly Pick<WorkloadAuthz, 'namespace' | 'name'>[];
  onSubmit: (inputs: WhatIfInputs) => void;
}

const asked = (inputs: WhatIfInputs) =>
  (Object.keys(EMPTY_WHAT_IF) as (keyof WhatIfInputs)[]).some((key) => inputs[key] !== EMPTY_WHAT_IF[key]);

/** The what-if form and its answer; the question lives in the URL, so a bookmark asks it again. */
export function WhatIfPanel({ inputs, namespaces, workloads, onSubmit }: WhatIfPanelProps) {
  const built = buildWhatIfRequest(inputs);
  const request = built.ok ? built.request : undefined;
  const check = useQuery({
    queryKey: request ? queryKeys.security.check(request) : [...queryKeys.security.all, 'check', 'none'],
    queryFn: ({ signal }) =>
      apiFetch<AuthzCheckResponse>('/api/security/authz/check', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
        signal,
      }),
    enabled: request !== undefined,
  });
  return (
    <div className="whatif">
      <WhatIfForm
        key={JSON.stringify(inputs)}
        initial={inputs}
        namespaces={namespaces}
        workloads={workloads}
        problems={!built.ok && asked(inputs) ? built.problems : []}
        onSubmit={onSubmit}
      />
      <div>
        {!asked(inputs) && (
          <p className="muted">
            Choose a source and a destination workload, describe the request, and press Check: the answer says
            whether the destination&apos;s sidecar would allow it, and which policy and rule decide.
          </p>
        )}
        {check.isFetching && !check.data && (
          <p role="status" className="muted">
            Checking…
          </p>
        )}
        {check.error && (
          <ErrorBanner
            error={
              check.error instanceof ApiError ? check.error : new ApiError(0, 'internal', check.error.message)
            }
            retrying={check.isFetching}
            onRetry={() => void check.refetch()}
          />
        )}
        {check.data && request && <WhatIfResult answer={check.data} />}
      </div>
    </div>
  );
}
