'use client';

import type { Core } from 'cytoscape';
import { useState } from 'react';
import type { GraphResponse } from '@/lib/types/graph';
import { downloadFile, exportBaseName } from './downloadFile';

export interface GraphExportButtonsProps {
  graph: GraphResponse;
  /** the live canvas, when it exists */
  getCy: () => Core | null;
  /** background colour of the PNG */
  background: string;
}

/** Downloads the graph as drawn (PNG of the whole graph, not just the viewport) or as JSON. */
export function GraphExportButtons({ graph, getCy, background }: GraphExportButtonsProps) {
  const [problem, setProblem] = useState<string | null>(null);
  const baseName = exportBaseName(graph.namespaces, graph.graphType, graph.timestamp);

  const handlePng = async () => {
    const cy = getCy();
    if (!cy || cy.elements().empty()) {
      setProblem('Nothing is drawn yet to export.');
      return;
    }
    setProblem(null);
    const blob = await cy.png({
      output: 'blob-promise',
      full: true,
      bg: background,
      scale: 2,
      maxWidth: 8000,
      maxHeight: 8000,
    });
    downloadFile(blob, `${baseName}.png`);
  };
  const handleJson = () => {
    setProblem(null);
    downloadFile(
      new Blob([JSON.stringify(graph, null, 2)], { type: 'application/json' }),
      `${baseName}.json`,
    );
  };

  return (
    <div className="export-buttons">
      <span className="field-label">Export</span>
      <button type="button" className="button-secondary" onClick={() => void handlePng()}>
        PNG
      </button>
      <button type="button" className="button-secondary" onClick={handleJson}>
        JSON
      </button>
      {problem && (
        <span role="status" className="muted">
          {problem}
        </span>
      )}
    </div>
  );
}
