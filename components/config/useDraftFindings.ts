'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { apiFetch } from '@/lib/api-fetch';
import { parseYamlText } from '@/lib/istio-config/yaml-text';
import { queryKeys } from '@/lib/query-keys';
import type { ValidationPreviewResponse } from '@/lib/types/config';

/** Milliseconds of no typing before a draft is checked. */
const LINT_DELAY_MS = 400;

/**
 * The findings a draft would have (`POST /api/validations/preview`: the mesh's checks and the CRD
 * schema), for the text as it stood `LINT_DELAY_MS` after the last keystroke. Idle while the
 * draft equals `baseText` or is not valid YAML.
 */
export function useDraftFindings(text: string, baseText: string) {
  const [settled, setSettled] = useState(text);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(text), LINT_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);
  const parsed = useMemo(() => parseYamlText(settled), [settled]);
  const object =
    parsed.ok && typeof parsed.value === 'object' && parsed.value !== null ? parsed.value : undefined;
  return useQuery({
    queryKey: queryKeys.validations.preview(settled),
    queryFn: ({ signal }) =>
      apiFetch<ValidationPreviewResponse>('/api/validations/preview', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ objects: [object] }),
        signal,
      }),
    enabled: settled !== baseText && object !== undefined,
    // The last draft's findings stay until the next answer: markers do not blink while typing.
    placeholderData: keepPreviousData,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
}
