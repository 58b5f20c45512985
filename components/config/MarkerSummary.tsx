import type { EditorMarker } from '@/lib/istio-config/markers';

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1))
    line += 1;
  return line;
}

/** The editor's markers in words, with their lines: what a screen reader (and a test) reads. */
export function MarkerSummary({ text, markers }: { text: string; markers: readonly EditorMarker[] }) {
  return (
    <p className="muted" role="status" data-testid="editor-markers">
      {markers.length === 0
        ? 'No markers in the editor.'
        : `${markers.length} marker${markers.length === 1 ? '' : 's'} in the editor: ${markers
            .map((marker) => `line ${lineOf(text, marker.from)} ${marker.severity} ${marker.source}`)
            .join('; ')}.`}
    </p>
  );
}
