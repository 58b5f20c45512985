const WORDS: Record<string, string> = {
  STRICT: 'mutual TLS only',
  PERMISSIVE: 'mutual TLS and plaintext',
  DISABLE: 'plaintext',
  MIXED: 'modes differ across workloads',
};

/** A padlock, closed for STRICT, open for PERMISSIVE, struck through for DISABLE, half for MIXED. */
function LockIcon({ status }: { status: string }) {
  const closed = status === 'STRICT' || status === 'MIXED';
  return (
    <svg className="mtls-lock-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <rect
        x="3"
        y="7"
        width="10"
        height="8"
        rx="1.5"
        fill="currentColor"
        opacity={status === 'MIXED' ? 0.5 : 1}
      />
      <path
        d={closed ? 'M5 7V5a3 3 0 0 1 6 0v2' : 'M5 7V5a3 3 0 0 1 6 0'}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.6"
        transform={closed ? undefined : 'translate(3 -1)'}
      />
      {status === 'DISABLE' && <path d="M1 15 15 1" stroke="currentColor" strokeWidth="1.6" />}
    </svg>
  );
}

export interface MtlsLockProps {
  status: string;
  /** the mode alone (the header); the words go to the tooltip and screen readers */
  compact?: boolean;
}

/** A namespace's or the mesh's mTLS lock: an icon and the mode in words (never colour alone). */
export function MtlsLock({ status, compact = false }: MtlsLockProps) {
  const words = WORDS[status];
  return (
    <span
      className={`mtls-lock mtls-lock-${status.toLowerCase()}`}
      data-testid="mtls-lock"
      title={words ? `${status}: ${words}` : status}
    >
      <LockIcon status={status} /> {status}
      {words && (compact ? <span className="visually-hidden">: {words}</span> : `: ${words}`)}
    </span>
  );
}
