import type { ApiError } from '@/lib/api-fetch';

export interface ErrorBannerProps {
  error: ApiError;
  /** When the data still on screen was fetched (milliseconds since the epoch), if any is shown. */
  staleSince?: number;
  /** A retry is under way. */
  retrying?: boolean;
  onRetry: () => void;
}

function titleFor(error: ApiError): string {
  if (error.code.startsWith('unavailable')) return 'The cluster cannot be reached';
  // A 403 is the caller's RBAC (or read-only mode) saying no, not a fault: say so in words.
  if (error.code.startsWith('forbidden')) return 'You may not do this with your access';
  if (error.code === 'unauthorized' || error.code === 'unauthorized:token') {
    return 'You are not signed in (or your session ended); reload the page to sign in';
  }
  if (error.code.startsWith('unauthorized')) return 'The cluster refused the credentials';
  return 'The request failed';
}

/** A failure shown in place, with its cause, the age of what is still shown, and a retry. */
export function ErrorBanner({ error, staleSince, retrying = false, onRetry }: ErrorBannerProps) {
  return (
    <div role="alert" className="banner banner-error" data-testid="error-banner">
      <p className="banner-title">{titleFor(error)}</p>
      <p>{error.message}</p>
      {staleSince !== undefined && (
        <p>
          Showing data from{' '}
          <time dateTime={new Date(staleSince).toISOString()}>
            {new Date(staleSince).toLocaleTimeString()}
          </time>
          .
        </p>
      )}
      <button type="button" onClick={onRetry} disabled={retrying} aria-busy={retrying}>
        {retrying ? 'Retrying…' : 'Retry'}
      </button>
    </div>
  );
}
