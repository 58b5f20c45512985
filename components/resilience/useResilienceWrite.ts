'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, apiFetch } from '@/lib/api-fetch';
import { queryKeys } from '@/lib/query-keys';
import type { ResilienceWriteResult } from '@/lib/resilience/edit-types';
import type { ReviewState } from '../config/ReviewDialog';
import { asApiError } from './useResilience';

export interface Conflict {
  /** the object as it is now, as YAML, and its version */
  yaml: string;
  resourceVersion: string;
  /** the object as it is now, for re-applying the edits on top of it */
  current: Record<string, unknown> | undefined;
}

/**
 * The review-and-apply path of one editor: the dry run for the review dialog, the write, a 409
 * as a conflict with the object as it is now. Bodies carry the resourceVersion the form was read at.
 */
export function useResilienceWrite(
  namespace: string,
  service: string,
  endpoint: 'route-policy' | 'circuit-breaker',
  onApplied: (result: ResilienceWriteResult) => void,
) {
  const client = useQueryClient();
  const [review, setReview] = useState<ReviewState>({ step: 'closed' });
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const url = `/api/resilience/${encodeURIComponent(namespace)}/${encodeURIComponent(service)}/${endpoint}`;

  const send = (body: object, dryRun: boolean) =>
    apiFetch<ResilienceWriteResult>(url, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, dryRun }),
    });

  const fail = (error: unknown) => {
    const apiError = asApiError(error);
    if (
      apiError instanceof ApiError &&
      apiError.status === 409 &&
      apiError.code === 'conflict:resource-version'
    ) {
      const current = apiError.details?.current as
        | (Record<string, unknown> & { metadata?: { resourceVersion?: string } })
        | undefined;
      setReview({ step: 'closed' });
      setConflict({
        yaml: typeof apiError.details?.yaml === 'string' ? apiError.details.yaml : '',
        resourceVersion: current?.metadata?.resourceVersion ?? '',
        current,
      });
      return;
    }
    setReview({ step: 'failed', error: apiError });
  };

  /** the body under review: what Apply sends */
  const [pending, setPending] = useState<object | null>(null);

  const startReview = async (body: object) => {
    setPending(body);
    setReview({ step: 'checking' });
    try {
      setReview({ step: 'checked', result: await send(body, true) });
    } catch (error) {
      fail(error);
    }
  };

  const apply = async () => {
    const body = pending;
    if (review.step !== 'checked' || body === null) return;
    setReview({ step: 'applying', result: review.result });
    try {
      const result = await send(body, false);
      setReview({ step: 'closed' });
      onApplied(result);
      await client.invalidateQueries({ queryKey: queryKeys.resilience.all });
    } catch (error) {
      fail(error);
    }
  };

  return {
    review,
    conflict,
    startReview,
    apply,
    closeReview: () => setReview({ step: 'closed' }),
    closeConflict: () => setConflict(null),
    reload: async () => {
      setConflict(null);
      await client.invalidateQueries({ queryKey: queryKeys.resilience.policy(namespace, service) });
    },
  };
}
