import { diffLines } from '@/lib/text/line-diff';

const PREFIX = { same: '  ', added: '+ ', removed: '- ' } as const;

/** A line diff of two YAML texts; added and removed lines say so in text, not only in colour. */
export function DiffView({ before, after, label }: { before: string; after: string; label: string }) {
  const lines = diffLines(before, after);
  return (
    <figure data-testid="line-diff">
      <figcaption className="field-label">{label}</figcaption>
      <pre className="line-diff">
        {lines.map((line) => (
          <span
            key={`${line.kind}:${line.oldLine ?? ''}:${line.newLine ?? ''}`}
            className={`diff-${line.kind}`}
          >
            {PREFIX[line.kind]}
            {line.text}
          </span>
        ))}
      </pre>
    </figure>
  );
}
