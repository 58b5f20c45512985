'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useRef, useState } from 'react';
import { stringify } from 'yaml';
import { ApiError, apiFetch } from '@/lib/api-fetch';
import { configObjectApiPath } from '@/lib/istio-config/kinds';
import { findingMarkers, syntaxMarkers } from '@/lib/istio-config/markers';
import { parsePath } from '@/lib/istio-config/paths';
import { rebaseDraft } from '@/lib/istio-config/rebase';
import { rangeOfPath } from '@/lib/istio-config/yaml-ranges';
import { parseYamlText, toYamlText } from '@/lib/istio-config/yaml-text';
import { queryKeys } from '@/lib/query-keys';
import type { ConfigObjectResponse, ConfigPutResponse } from '@/lib/types/config';
import type { Finding } from '@/lib/types/validation';
import { ConflictDialog } from './ConflictDialog';
import { FindingList } from './FindingList';
import { MarkerSummary } from './MarkerSummary';
import { ReviewDialog, type ReviewState } from './ReviewDialog';
import { useDraftFindings } from './useDraftFindings';
import { YamlEditor, type YamlEditorHandle } from './YamlEditor';

/** The version an edit starts from. */
interface Base {
  object: Record<string, unknown>;
  resourceVersion: string;
  findings: Finding[];
}

const baseOf = (data: ConfigObjectResponse): Base => ({
  object: data.object,
  resourceVersion: data.resourceVersion,
  findings: data.findings,
});

const asApiError = (error: Error) =>
  error instanceof ApiError ? error : new ApiError(0, 'internal', error.message);

/**
 * The object's YAML in the editor with its findings as markers, and saving the safe way: review
 * (diff and the API server's dry run), apply with the resourceVersion read, and on a conflict
 * show what changed and re-apply the edits on top of it or start over.
 */
export function ObjectEditor({
  data,
  schema,
}: {
  data: ConfigObjectResponse;
  schema: Record<string, unknown> | undefined;
}) {
  const queryClient = useQueryClient();
  const editor = useRef<YamlEditorHandle>(null);
  const [base, setBase] = useState<Base>(() => baseOf(data));
  const baseText = useMemo(() => toYamlText(base.object), [base.object]);
  const [text, setText] = useState(baseText);
  const [editorKey, setEditorKey] = useState(0);
  const [review, setReview] = useState<ReviewState>({ step: 'closed' });
  const [conflict, setConflict] = useState<ConfigObjectResponse>();
  const [status, setStatus] = useState('');
  const dirty = text !== baseText;
  const startOver = (next: Base, nextText: string) => {
    setBase(next);
    setText(nextText);
    setEditorKey((key) => key + 1);
  };
  // Untouched, the editor follows newer versions of the object as the page refreshes.
  if (!dirty && review.step === 'closed' && !conflict && data.resourceVersion !== base.resourceVersion) {
    startOver(baseOf(data), toYamlText(data.object));
  }

  const parsed = useMemo(() => parseYamlText(text), [text]);
  const draft = useDraftFindings(text, baseText);
  const findings = dirty
    ? (draft.data?.findings ?? [])
    : base.resourceVersion === data.resourceVersion
      ? data.findings
      : base.findings;
  const markers = useMemo(
    () => [...syntaxMarkers(parsed), ...findingMarkers(text, findings)],
    [parsed, text, findings],
  );
  const name = `${data.kind} ${data.namespace}/${data.name}`;
  const apiPath = configObjectApiPath(data);

  const handleConflict = async () => {
    const current = await queryClient.fetchQuery({
      queryKey: queryKeys.config.object(data.kind, data.namespace, data.name),
      queryFn: () => apiFetch<ConfigObjectResponse>(apiPath),
      staleTime: 0,
    });
    setReview({ step: 'closed' });
    setConflict(current);
  };
  const save = useMutation({
    mutationFn: (dryRun: boolean) =>
      apiFetch<ConfigPutResponse>(apiPath, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          resourceVersion: base.resourceVersion,
          object: parsed.ok ? parsed.value : {},
          dryRun,
        }),
      }),
    onSuccess: (result) => {
      if (result.dryRun) {
        setReview({ step: 'checked', result });
        return;
      }
      startOver(
        { object: result.object, resourceVersion: result.resourceVersion, findings: result.findings },
        toYamlText(result.object),
      );
      setReview({ step: 'closed' });
      setStatus(`Saved ${name} (resourceVersion ${result.resourceVersion}).`);
      void queryClient.invalidateQueries({ queryKey: queryKeys.config.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.validations.all });
    },
    onError: (error) => {
      const apiError = asApiError(error);
      if (apiError.status === 409 && apiError.code === 'conflict:resource-version') void handleConflict();
      else setReview({ step: 'failed', error: apiError });
    },
  });
  const handleReview = () => {
    setStatus('');
    setReview({ step: 'checking' });
    save.mutate(true);
  };
  const handleApply = () => {
    if (review.step !== 'checked') return;
    setReview({ step: 'applying', result: review.result });
    save.mutate(false);
  };
  const rebased = useMemo(
    () =>
      conflict && parsed.ok && typeof parsed.value === 'object' && parsed.value !== null
        ? rebaseDraft(base.object, parsed.value as Record<string, unknown>, conflict.object)
        : undefined,
    [conflict, parsed, base.object],
  );
  const handleReapply = () => {
    if (!conflict || !rebased?.ok) return;
    startOver(baseOf(conflict), stringify(rebased.draft, { lineWidth: 0 }));
    setConflict(undefined);
    setStatus(
      `Your edits are re-applied on resourceVersion ${conflict.resourceVersion}: review and apply again.`,
    );
  };
  const handleDiscard = () => {
    if (!conflict) return;
    startOver(baseOf(conflict), toYamlText(conflict.object));
    setConflict(undefined);
    setStatus(`Loaded resourceVersion ${conflict.resourceVersion}; your edits were discarded.`);
  };
  const handleSelect = (finding: Finding) => {
    const range = rangeOfPath(text, parsePath(finding.path));
    if (range) editor.current?.reveal(range);
  };
  const editable = data.access.editable;

  return (
    <>
      <YamlEditor
        key={editorKey}
        ref={editor}
        initialText={text}
        label={`YAML of ${name}`}
        readOnly={!editable}
        schema={schema}
        diagnostics={markers}
        onChange={setText}
      />
      <MarkerSummary text={text} markers={markers} />
      {editable && (
        <div className="editor-actions">
          <button
            type="button"
            onClick={handleReview}
            disabled={!dirty || !parsed.ok || review.step !== 'closed'}
          >
            Review changes
          </button>
          <button
            type="button"
            className="button-quiet"
            onClick={() => startOver(base, baseText)}
            disabled={!dirty}
          >
            Discard edits
          </button>
          {dirty && draft.isFetching && <span className="muted">Checking the draft…</span>}
          {dirty && draft.error && (
            <span className="muted">Cannot check the draft: {draft.error.message}</span>
          )}
          <span role="status">{status}</span>
        </div>
      )}
      <FindingList
        title={dirty ? 'Findings of your draft' : 'Findings'}
        findings={findings}
        emptyText={
          !dirty
            ? 'None: nothing wrong found in this object.'
            : !parsed.ok
              ? 'The draft is not valid YAML yet: fix the marked syntax to check it.'
              : draft.data
                ? 'None: the draft has no findings.'
                : 'Checking the draft…'
        }
        onSelect={handleSelect}
      />
      <ReviewDialog
        state={review}
        objectName={name}
        before={baseText}
        after={text}
        onApply={handleApply}
        onClose={() => setReview({ step: 'closed' })}
      />
      {conflict && (
        <ConflictDialog
          open
          objectName={name}
          readText={baseText}
          currentText={toYamlText(conflict.object)}
          currentVersion={conflict.resourceVersion}
          {...(rebased && !rebased.ok ? { rebaseProblem: rebased.reason } : {})}
          onReapply={handleReapply}
          onDiscard={handleDiscard}
          onClose={() => setConflict(undefined)}
        />
      )}
    </>
  );
}
