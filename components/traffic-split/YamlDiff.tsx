import { collapseUnchanged, diffLines } from '@/lib/text/line-diff';

const MARK = { same: ' ', added: '+', removed: '-' } as const;

/**
 * A unified line diff of two YAML texts, unchanged stretches cut to three lines around each
 * change; added and removed lines are marked for screen readers too.
 */
export function YamlDiff({ before, after, label }: { before: string; after: string; label: string }) {
  const lines = collapseUnchanged(diffLines(before, after));
  return (
    <figure className="yaml-diff-figure">
      <figcaption className="visually-hidden">{label}</figcaption>
      <pre className="yaml-diff" data-testid="yaml-diff">
        {lines.map((line, position) =>
          line.kind === 'skipped' ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity but their position
            <span key={position} className="diff-line diff-skipped" data-kind="skipped">
              {`… ${line.count} unchanged line${line.count === 1 ? '' : 's'}\n`}
            </span>
          ) : (
            // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity but their position
            <span key={position} className={`diff-line diff-${line.kind}`} data-kind={line.kind}>
              <span aria-hidden="true" className="diff-mark">
                {MARK[line.kind]}
              </span>
              {line.kind === 'added' && <span className="visually-hidden">added: </span>}
              {line.kind === 'removed' && <span className="visually-hidden">removed: </span>}
              {line.text}
              {'\n'}
            </span>
          ),
        )}
      </pre>
    </figure>
  );
}
