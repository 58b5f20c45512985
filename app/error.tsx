'use client';

/** Last-resort boundary for a page that failed to render: says so in place, offers a retry. */
export default function PageError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error && 'digest' in error ? String(error.digest) : undefined;
  return (
    <div role="alert" className="banner banner-error">
      <p className="banner-title">This page failed to render</p>
      <p>
        The dashboard hit an unexpected error{digest ? ` (reference ${digest} in the server logs)` : ''}. The
        other pages still work.
      </p>
      <button type="button" onClick={() => retry()}>
        Try again
      </button>
    </div>
  );
}
