const WORDS: Record<string, { icon: string; text: string }> = {
  STRICT: { icon: '🔒', text: 'STRICT: mutual TLS only' },
  PERMISSIVE: { icon: '🔓', text: 'PERMISSIVE: mutual TLS and plaintext' },
  DISABLE: { icon: '⊘', text: 'DISABLE: plaintext' },
  MIXED: { icon: '◐', text: 'MIXED: modes differ across workloads' },
};

/** A namespace's or the mesh's mTLS lock: an icon and the mode in words (never colour alone). */
export function MtlsLock({ status }: { status: string }) {
  const words = WORDS[status] ?? { icon: '?', text: status };
  return (
    <span className={`mtls-lock mtls-lock-${status.toLowerCase()}`} data-testid="mtls-lock">
      <span aria-hidden="true">{words.icon}</span> {words.text}
    </span>
  );
}
