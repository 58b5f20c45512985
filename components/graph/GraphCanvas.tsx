'use client';

import type { Core, ElementDefinition, EventObject, NodeSingular, StylesheetJson } from 'cytoscape';
import { useEffect, useMemo, useRef, useState } from 'react';
import { DETAIL_MIN_ZOOM, type GraphTheme, graphStylesheet } from '@/lib/graph-view/cytoscape-style';
import { fitGraph, fitNodePositions, placeElements, runLayout } from '@/lib/graph-view/layout';
import { parsePositions, restoredOrLaidOut, serializePositions } from '@/lib/graph-view/saved-positions';
import { syncElements } from '@/lib/graph-view/sync';
import { overviewElements } from '@/lib/graph-view/to-cytoscape';

/** Model units between a new node and its neighbours. */
const NODE_SPACING = 90;
/**
 * Performance-timeline mark of the first frame drawn after a graph was applied, with
 * `{elements, laidOut, applyMs}` (applyMs: from applying the elements to that frame). Only the
 * latest is kept; tools observe it as it comes (bench/graph-browser.ts).
 */
const GRAPH_DRAWN_MARK = 'meshscope:graph-drawn';

export interface GraphCanvasProps {
  elements: readonly ElementDefinition[];
  selectedId: string;
  autoFit: boolean;
  theme: GraphTheme;
  /**
   * a big graph: gesture-time simplification, cheaper drawing (research/performance.md), and
   * zoomed out below `DETAIL_MIN_ZOOM`, the overview without text or lock markers
   */
  large: boolean;
  /** the canvas is on screen (the table view hides it) */
  visible: boolean;
  /** accessible description of what the canvas shows */
  description: string;
  /**
   * sessionStorage key of this view's node positions (`positionsKey`): a reload puts them back.
   * Without one, positions live as long as the page.
   */
  positionsKey?: string;
  onSelect: (id: string | null) => void;
  onReady: (cy: Core | null) => void;
}

/** Wait after the last move before writing positions (a drag or a refresh can come in bursts). */
const SAVE_DELAY_MS = 500;
/** What one press of a zoom button multiplies the zoom by. */
const ZOOM_STEP = 1.5;
/** Wait after the last zoom step before switching a large graph between overview and detail. */
const DETAIL_DELAY_MS = 150;

function readSaved(key: string | undefined): ReturnType<typeof parsePositions> {
  if (key === undefined) return new Map();
  try {
    return parsePositions(window.sessionStorage.getItem(key));
  } catch {
    // Storage can be disabled or full: positions are then only kept for the page's life.
    return new Map();
  }
}

function savePositions(cy: Core, key: string): void {
  if (cy.destroyed()) return;
  const positions = new Map(
    cy
      .nodes()
      .filter((node) => !node.isParent())
      .map((node: NodeSingular) => [node.id(), node.position()] as const),
  );
  try {
    window.sessionStorage.setItem(key, serializePositions(positions));
  } catch {
    // See readSaved.
  }
}

/** Writes the view's positions once moves have settled (refs: the latest timer and key). */
function scheduleSave(
  timer: { current: ReturnType<typeof setTimeout> | undefined },
  key: { current: string | undefined },
  cy: Core,
): void {
  clearTimeout(timer.current);
  timer.current = setTimeout(() => {
    if (key.current !== undefined) savePositions(cy, key.current);
  }, SAVE_DELAY_MS);
}

/** Gives the instance this stylesheet unless it has it already. */
function applyStylesheet(
  cy: Core,
  stylesheet: StylesheetJson,
  applied: { current: StylesheetJson | null },
): void {
  if (applied.current === stylesheet) return;
  cy.style(stylesheet);
  applied.current = stylesheet;
}

interface RenderedNode {
  id: string;
  x: number;
  y: number;
}

/**
 * The service graph on a cytoscape canvas (loaded on the client only). One instance lives as long
 * as the page: refreshes update it in place (positions and drags survive), a full layout runs only
 * when nothing on screen survived. A large graph zoomed out is drawn as its overview (no text,
 * no lock markers: lib/graph-view/to-cytoscape.ts), and fitted from node positions rather than
 * cytoscape's bounding boxes, so a first draw or a refresh styles only what can be seen.
 * Rendered node positions are mirrored in a hidden list with data attributes, so tests can click
 * a node where it is drawn.
 */
export function GraphCanvas({
  elements,
  selectedId,
  autoFit,
  theme,
  large,
  visible,
  description,
  positionsKey,
  onSelect,
  onReady,
}: GraphCanvasProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const [cy, setCy] = useState<Core | null>(null);
  const [rendered, setRendered] = useState<RenderedNode[]>([]);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;
  const onReadyRef = useRef(onReady);
  onReadyRef.current = onReady;
  const themeRef = useRef(theme);
  themeRef.current = theme;
  const autoFitRef = useRef(autoFit);
  autoFitRef.current = autoFit;
  /** a layout ran while the canvas was hidden (no size): fit when it shows */
  const fitWhenShownRef = useRef(false);
  const visibleRef = useRef(visible);
  visibleRef.current = visible;
  /** the user has dragged a node: from then on, nothing is laid out again but a new graph */
  const userMovedRef = useRef(false);
  const positionsKeyRef = useRef(positionsKey);
  positionsKeyRef.current = positionsKey;
  const saveTimerRef = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  /** a large graph zoomed in far enough for its labels: drawn with every detail */
  const [zoomedIn, setZoomedIn] = useState(false);
  /** refreshes the hidden list of rendered node positions (set while an instance lives) */
  const mirrorRef = useRef<(() => void) | undefined>(undefined);
  /** the element this component selected last (undefined: none) */
  const selectedRef = useRef<string | undefined>(undefined);
  const detailed = !large || zoomedIn;
  const drawnElements = useMemo(
    () => (detailed ? elements : overviewElements(elements)),
    [elements, detailed],
  );
  const stylesheet = useMemo(
    () => graphStylesheet(theme, { large, detail: detailed }),
    [theme, large, detailed],
  );
  const stylesheetRef = useRef(stylesheet);
  stylesheetRef.current = stylesheet;
  /** the stylesheet the instance was given last (null: its creation's) */
  const appliedStylesheetRef = useRef<StylesheetJson | null>(null);
  const largeRef = useRef(large);
  largeRef.current = large;
  /** Fits the view: a large graph from node positions, so nothing is styled for it. */
  const fitView = (instance: Core) => (largeRef.current ? fitNodePositions(instance) : fitGraph(instance));
  const fitViewRef = useRef(fitView);
  fitViewRef.current = fitView;

  useEffect(() => () => clearTimeout(saveTimerRef.current), []);

  // A large graph follows the zoom: the overview below DETAIL_MIN_ZOOM, every detail above it.
  // A new instance starts as the overview: its first fit (a zoom event) decides.
  useEffect(() => {
    setZoomedIn(false);
    if (!cy || !large) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const follow = () => {
      clearTimeout(timer);
      timer = setTimeout(() => setZoomedIn(cy.zoom() >= DETAIL_MIN_ZOOM), DETAIL_DELAY_MS);
    };
    cy.on('zoom', follow);
    return () => {
      clearTimeout(timer);
      cy.removeListener('zoom', follow);
    };
  }, [cy, large]);

  // One instance per size class: `large` switches renderer options fixed at creation.
  useEffect(() => {
    let instance: Core | null = null;
    let cancelled = false;
    void import('cytoscape').then(({ default: cytoscape }) => {
      if (cancelled || !containerRef.current) return;
      instance = cytoscape({
        container: containerRef.current,
        style: graphStylesheet(themeRef.current, { large, detail: !large }),
        minZoom: 0.05,
        maxZoom: 4,
        boxSelectionEnabled: false,
        selectionType: 'single',
        // Pans and zooms move a snapshot of the drawing instead of redrawing every frame: even a
        // 100-service graph with app boxes and outlined labels drew only ~21 frames a second.
        textureOnViewport: true,
        hideEdgesOnViewport: large,
        hideLabelsOnViewport: large,
        pixelRatio: large ? 1 : 'auto',
        motionBlur: false,
      });
      setCy(instance);
      onReadyRef.current(instance);
    });
    return () => {
      cancelled = true;
      onReadyRef.current(null);
      instance?.destroy();
      setCy(null);
    };
  }, [large]);

  useEffect(() => {
    if (!cy) return;
    const applied = performance.now();
    // A graph drawn from scratch is placed before cytoscape sees it, added in place in one call:
    // where this view was saved with every node, as it was left, else by a fresh layout.
    const placeAll = (leaves: readonly ElementDefinition[], edges: readonly ElementDefinition[]) => {
      const saved = readSaved(positionsKeyRef.current);
      const ids = leaves.map((leaf) => leaf.data.id ?? '');
      const { positions, restored } = restoredOrLaidOut(saved, ids, () => placeElements(leaves, edges));
      if (restored) userMovedRef.current = true;
      return positions;
    };
    // Switching between overview and detail changes the stylesheet and every label: one batch,
    // so cytoscape restyles each element once.
    let result: ReturnType<typeof syncElements> | undefined;
    cy.batch(() => {
      applyStylesheet(cy, stylesheetRef.current, appliedStylesheetRef);
      result = syncElements(cy, drawnElements, { spacing: NODE_SPACING, placeAll });
    });
    if (!result) return;
    // While traffic starts (the first refreshes of a warming telemetry source), a graph can grow
    // from a few nodes to many: lay it out again as long as it more than doubles and nobody has
    // arranged it by hand. An established graph only ever gets new nodes placed beside neighbours.
    const grewFromSeed =
      !userMovedRef.current &&
      result.keptNodes > 0 &&
      result.addedNodes > 0 &&
      result.addedNodes >= result.keptNodes;
    const relayout = result.needsLayout || grewFromSeed;
    const laidOut = relayout || result.placedAll;
    if (relayout) runLayout(cy);
    else if (result.placedAll) fitViewRef.current(cy);
    if (laidOut) fitWhenShownRef.current = !visibleRef.current;
    else if (autoFitRef.current && (result.added > 0 || result.removed > 0)) fitViewRef.current(cy);
    if (laidOut || result.added > 0 || result.removed > 0) scheduleSave(saveTimerRef, positionsKeyRef, cy);
    if (laidOut || result.added + result.removed + result.updated > 0) mirrorRef.current?.();
    const drawn = () => {
      performance.clearMarks(GRAPH_DRAWN_MARK);
      performance.mark(GRAPH_DRAWN_MARK, {
        detail: { elements: drawnElements.length, laidOut, applyMs: performance.now() - applied },
      });
    };
    // Nothing cytoscape draws changed: it draws nothing, and the next frame shows this graph.
    const unchanged = !laidOut && result.added + result.removed + result.updated === 0;
    const frame = unchanged ? requestAnimationFrame(drawn) : undefined;
    if (!unchanged) cy.one('render', drawn);
    return () => {
      if (frame !== undefined) cancelAnimationFrame(frame);
      cy.removeListener('render', drawn);
    };
  }, [cy, drawnElements]);

  // A theme change (dark mode) restyles at once; the overview/detail switch is applied with the
  // elements above.
  useEffect(() => {
    if (cy) applyStylesheet(cy, stylesheet, appliedStylesheetRef);
  }, [cy, stylesheet]);

  useEffect(() => {
    // After each sync: a refresh may have brought the selected element back. Selecting runs a
    // selector over every element: skipped when the selection is already what is asked.
    if (!cy || drawnElements.length === 0) return;
    const wanted = selectedId === '' ? undefined : cy.getElementById(selectedId);
    const selected = selectedRef.current === undefined ? undefined : cy.getElementById(selectedRef.current);
    const settled =
      selectedRef.current === (selectedId === '' ? undefined : selectedId) &&
      (wanted === undefined || wanted.empty() || wanted.selected()) &&
      (selected === undefined || selected.empty() || selected.selected());
    if (settled) return;
    cy.batch(() => {
      cy.elements(':selected').unselect();
      if (wanted?.nonempty()) wanted.select();
    });
    selectedRef.current = wanted?.nonempty() ? selectedId : undefined;
  }, [cy, selectedId, drawnElements]);

  useEffect(() => {
    if (!cy) return;
    const handleTap = (event: EventObject) => {
      const target = event.target as Core | EventObject['target'];
      if (target === cy) onSelectRef.current(null);
      else if (!(target.isNode() && target.isParent())) onSelectRef.current(target.id());
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const mirror = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        setRendered(
          cy
            .nodes()
            .filter((node) => !node.isParent() && node.visible())
            .map((node: NodeSingular) => ({ id: node.id(), ...node.renderedPosition() })),
        );
      }, 50);
    };
    const handleDrag = () => {
      userMovedRef.current = true;
      // A drag ends once: keep it at once, so a reload right after finds it.
      clearTimeout(saveTimerRef.current);
      if (positionsKeyRef.current !== undefined) savePositions(cy, positionsKeyRef.current);
    };
    cy.on('tap', handleTap);
    cy.on('dragfree', 'node', handleDrag);
    // Element changes come from the sync, which asks for a mirror itself: listening to `add` or
    // `data` would run this once per element of a big graph.
    cy.on('layoutstop viewport dragfree resize', mirror);
    mirrorRef.current = mirror;
    mirror();
    return () => {
      clearTimeout(timer);
      cy.removeListener('tap', handleTap);
      cy.removeListener('dragfree', 'node', handleDrag);
      mirrorRef.current = undefined;
      cy.removeListener('layoutstop viewport dragfree resize', mirror);
    };
  }, [cy]);

  // Follow the container's size; refit when asked to.
  useEffect(() => {
    const container = containerRef.current;
    if (!cy || !container || !visible) return;
    const observer = new ResizeObserver(() => {
      cy.resize();
      if (autoFitRef.current) fitViewRef.current(cy);
    });
    observer.observe(container);
    return () => observer.disconnect();
  }, [cy, visible]);

  useEffect(() => {
    if (!cy || !visible) return;
    cy.resize();
    if (autoFit || fitWhenShownRef.current) fitViewRef.current(cy);
    fitWhenShownRef.current = false;
  }, [cy, autoFit, visible]);

  /** Zooms by a factor around the canvas's middle (the buttons: keyboard and mouse alike). */
  const zoomBy = (factor: number) => {
    if (!cy) return;
    cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  };

  return (
    <div className="graph-canvas-wrap" hidden={!visible}>
      <div
        ref={containerRef}
        className="graph-canvas"
        role="img"
        aria-label={description}
        data-testid="graph-canvas"
        data-ready={cy !== null && rendered.length > 0 ? 'true' : 'false'}
      />
      <fieldset className="graph-zoom-controls">
        <legend className="visually-hidden">Zoom</legend>
        <button type="button" className="button-secondary" onClick={() => zoomBy(ZOOM_STEP)} disabled={!cy}>
          <span aria-hidden="true">+</span>
          <span className="visually-hidden">Zoom in</span>
        </button>
        <button
          type="button"
          className="button-secondary"
          onClick={() => zoomBy(1 / ZOOM_STEP)}
          disabled={!cy}
        >
          <span aria-hidden="true">−</span>
          <span className="visually-hidden">Zoom out</span>
        </button>
        <button type="button" className="button-secondary" onClick={() => cy && fitView(cy)} disabled={!cy}>
          Fit
        </button>
      </fieldset>
      {large && !zoomedIn && (
        <p className="graph-detail-hint" data-testid="graph-detail-hint">
          Names and mTLS locks are not drawn at this zoom on a graph this big: zoom in (mouse wheel, pinch or
          the + button) to see them. The Table tab lists every node and edge.
        </p>
      )}
      <ul hidden data-testid="graph-canvas-nodes">
        {rendered.map((node) => (
          <li key={node.id} data-node-id={node.id} data-x={node.x.toFixed(1)} data-y={node.y.toFixed(1)} />
        ))}
      </ul>
    </div>
  );
}
