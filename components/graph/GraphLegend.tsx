import { BADGE_ORDER, BADGES } from '@/lib/graph-view/badges';

const NODE_SHAPES = [
  { label: 'Workload', shape: <circle cx="10" cy="10" r="7" /> },
  { label: 'App', shape: <rect x="3" y="4" width="14" height="12" rx="3" /> },
  { label: 'Service', shape: <polygon points="10,2 18,10 10,18 2,10" /> },
  { label: 'Service entry', shape: <polygon points="2,4 13,4 18,10 13,16 2,16" /> },
  { label: 'Unknown / outside the mesh', shape: <circle cx="10" cy="10" r="7" strokeDasharray="3 2" /> },
];

const EDGE_STYLES = [
  { label: 'Healthy', className: 'legend-line legend-healthy', dashed: false },
  { label: 'Degraded (errors above tolerance)', className: 'legend-line legend-degraded', dashed: false },
  { label: 'Failing', className: 'legend-line legend-failure', dashed: false },
  { label: 'TCP', className: 'legend-line legend-tcp', dashed: false },
  { label: 'Idle (no traffic in the window)', className: 'legend-line legend-idle', dashed: true },
  { label: 'Denied by an authorization policy (403)', className: 'legend-line legend-failure', dashed: true },
];

/** What shapes, colours, markers and glyphs mean; a disclosure, closed by default. */
export function GraphLegend() {
  return (
    <details className="graph-legend">
      <summary>Legend</summary>
      <div className="legend-columns">
        <section aria-label="Node shapes">
          <h3>Nodes</h3>
          <ul>
            {NODE_SHAPES.map((item) => (
              <li key={item.label}>
                <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true" className="legend-shape">
                  {item.shape}
                </svg>
                {item.label}
              </li>
            ))}
            <li>
              <span className="legend-swatch legend-border-failure" aria-hidden="true" /> Border colour:
              health
            </li>
          </ul>
        </section>
        <section aria-label="Edge styles">
          <h3>Edges</h3>
          <ul>
            {EDGE_STYLES.map((item) => (
              <li key={item.label}>
                <svg width="28" height="10" viewBox="0 0 28 10" aria-hidden="true" className={item.className}>
                  <line
                    x1="1"
                    y1="5"
                    x2="27"
                    y2="5"
                    strokeWidth="2"
                    strokeDasharray={item.dashed ? '4 3' : undefined}
                  />
                </svg>
                {item.label}
              </li>
            ))}
            <li>
              <svg
                width="28"
                height="10"
                viewBox="0 0 28 10"
                aria-hidden="true"
                className="legend-line legend-lock"
              >
                <line x1="1" y1="5" x2="27" y2="5" strokeWidth="2" />
                <rect x="10" y="1" width="8" height="8" />
              </svg>
              Square mid-edge: mutual TLS (hollow: partly)
            </li>
            <li>
              <span className="badge-glyph" aria-hidden="true">
                ⚡
              </span>{' '}
              On an edge label: circuit breaker tripped (Envoy answered UO or UH)
            </li>
          </ul>
        </section>
        <section aria-label="Badges">
          <h3>Badges</h3>
          <ul>
            {BADGE_ORDER.map((badge) => (
              <li key={badge}>
                <span className="badge-glyph" aria-hidden="true">
                  {BADGES[badge].glyph}
                </span>{' '}
                {BADGES[badge].label}
              </li>
            ))}
          </ul>
        </section>
      </div>
    </details>
  );
}
