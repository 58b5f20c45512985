/**
 * The graph page in Chromium, for the `large` scenario at 100, 1,000 and 5,000 services
 * (namespaces = services / 20): `meshscope demo --scenario large --with-prometheus` per size (a
 * real Prometheus behind the dashboard, as direct telemetry stops at 200 proxies), the page at
 * `/graph` with every namespace, graph type `versionedApp`, refresh paused; Debian's Chromium
 * through playwright-core, 1280×800, the flags of research/performance.md §6.1.
 *
 * The page marks the first frame drawn after it applied a graph (`meshscope:graph-drawn` in the
 * performance timeline, components/graph/GraphCanvas.tsx); "data arrival" is the Resource Timing
 * `responseEnd` of the page's `/api/graph` request, so each time below runs from the last byte
 * of the answer to the frame that shows it: JSON parsing, React, the cytoscape adapter, the sync
 * (and layout), and cytoscape's draw.
 *
 * - api.N.*: the graph the page gets (fetched from here once it is complete: two answers in a row
 *   with Prometheus rates and edge counts within 1 %), and `/api/graph`'s time over HTTP through
 *   the dashboard.
 * - first_render.N.*: a fresh browser context per run (cold browser cache), navigation to the
 *   first drawn frame; the first graph is laid out (lib/graph-view/layout.ts).
 * - refresh.N.*: on one loaded page, the toolbar's Refresh with the answer replaced by the first
 *   one with 5 % of its numbers (numeric fields of nodes and edges) changed, seeded: applied in
 *   place, no layout. Drawn as the page draws it: a large graph fitted to the screen is its
 *   overview (no text or lock markers, components/graph/GraphCanvas.tsx), so numbers that change
 *   no colour change nothing cytoscape draws. Two more kinds of refresh show what a visible change
 *   costs: refresh_recolour.N.* (5 % of the edges also change health, i.e. colour: a restyle and
 *   a full redraw) and refresh_detail.N.* (the same 5 % refresh zoomed in to 100 % on the graph's
 *   middle, where labels are drawn and change). Interleaved run for run with relayout.N.*: the page's own full layout
 *   (`runLayout`, bundled from lib/graph-view/layout.ts) on the same cytoscape instance and
 *   elements, to the next drawn frame. The relayout figure starts from elements already in
 *   place (no JSON, no React), so the ratio understates what a relayout per refresh would cost.
 * - pan.N.*: 3 s mouse drags on the background of that page (mouse events dispatched in the page,
 *   one move per animation frame, not `cy.panBy`, so the page's gesture-time simplifications
 *   engage); `fps` counts the frames cytoscape drew, `worst_frame` the longest wait for one
 *   (headless Chromium caps animation frames at 60 Hz).
 * - renderer.*: at 1,000 services (about 2,000 nodes besides the app boxes), the page's elements
 *   with their positions and stylesheet in a bare page with a canvas of the page's size, drawn by
 *   cytoscape (bundled from node_modules) with GraphCanvas's options on its canvas renderer and
 *   with `webgl: true`, fresh page per run, interleaved; same drags.
 *   Without a GPU, WebGL here is SwiftShader (software): the figure measures that, not a GPU.
 *
 * Medians over the runs after a warm-up; a crashed page is reported, not fatal. At 5,000 services
 * a step that times out is reported as not reached and the benchmark goes on.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import type { Core, ElementDefinition, NodeSingular, StylesheetJson } from 'cytoscape';
import { build } from 'esbuild';
import { type Browser, type BrowserContext, chromium, errors, type Page } from 'playwright-core';
import { demoKubeconfigDir } from '../bin/commands/demo';
import { DASHBOARD_READY_PREFIX } from '../bin/commands/start';
import { LAUNCHER_ENTRY, PROJECT_ROOT } from '../bin/paths';
import type { GraphResponse } from '../lib/types/graph';
import type { Report } from './run';
import { freePort } from './support';

export const description =
  'graph page in Chromium (large, 100/1k/5k services): first render, 5 % refresh vs full re-layout, drag-pan FPS, canvas vs WebGL';

/** `GRAPH_BENCH_SIZES=1000,5000` measures only those sizes (default 100, 1,000 and 5,000). */
const sizes = (process.env.GRAPH_BENCH_SIZES ?? '100,1000,5000')
  .split(',')
  .map((size) => Number(size.trim()))
  .filter((size) => Number.isInteger(size) && size > 0);
const servicesPerNamespace = 20;
/** the size whose graph has about 2,000 nodes: canvas and WebGL are compared on it */
const rendererServices = 1_000;
const graphType = 'versionedApp';
const chromiumPath = '/usr/bin/chromium';
const chromiumFlags = [
  '--headless=new',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const viewport = { width: 1280, height: 800 };
/** share of the graph's numbers a refresh changes */
const changedShare = 0.05;
const panMs = 3_000;
const warmups = 1;
/** measured runs per size; fewer where one run takes tens of seconds */
const runsFor = (services: number) => (services >= 5_000 ? 3 : 5);
const panRuns = 3;
/** pause before each measured step, for the page's deferred work (its node mirror) to pass */
const settleMs = 500;
const rendererRuns = 3;
/** the first demo start may include `next build` */
const demoReadyMs = 15 * 60_000;
const graphReadyMs = 5 * 60_000;
const drawnTimeoutMs = 5 * 60_000;
const drawnMark = 'meshscope:graph-drawn';
const canvasSelector = '[data-testid="graph-canvas"]';

// ---------------------------------------------------------------------------------------------
// In the page. These helpers run in the browser: `pageHelpers` installs their source in every page,
// and the page.evaluate callbacks below call them by name. tsx compiles with esbuild's keepNames,
// whose `__name` wrapper the pages get as a no-op.

interface DrawnEntry {
  at: number;
  detail: { elements: number; laidOut: boolean; applyMs: number };
}

interface BenchWindow {
  __bench: { drawn: DrawnEntry[] };
  __meshscopeBench: { cytoscape: (options: Record<string, unknown>) => Core; runLayout: (cy: Core) => void };
  __positions: Map<string, { x: number; y: number }>;
}

function benchWindow(): BenchWindow {
  return window as unknown as BenchWindow;
}

/** The cytoscape instance drawing into a container (cytoscape registers it there). */
function cyOf(selector: string): Core {
  const container = document.querySelector(selector) as unknown as { _cyreg?: { cy?: Core } } | null;
  const cy = container?._cyreg?.cy;
  if (!cy) throw new Error(`no cytoscape instance on ${selector}`);
  return cy;
}

/** Collects the page's drawn marks as they come (the page keeps only the latest). */
function collectDrawnMarks(markName: string): void {
  performance.setResourceTimingBufferSize(10_000);
  const state = { drawn: [] as DrawnEntry[] };
  benchWindow().__bench = state;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.name === markName)
        state.drawn.push({ at: entry.startTime, detail: (entry as PerformanceMark).detail });
    }
  }).observe({ type: 'mark' });
}

/** Globals, whichever way the page runs the script (init scripts are wrapped in a function). */
const pageHelpers = [
  'globalThis.__name = globalThis.__name || ((fn) => fn);',
  ...[benchWindow, cyOf, collectDrawnMarks].map(
    (helper) => `globalThis.${helper.name} = ${helper.toString()};`,
  ),
].join('\n');

// ---------------------------------------------------------------------------------------------
// Helpers on this side

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** mulberry32: a small seeded generator, so every run changes the same numbers. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Perturbed {
  body: string;
  changed: number;
  numbers: number;
}

const healthStates = ['healthy', 'degraded', 'failure'] as const;

/**
 * The graph with `changedShare` of the numbers in its nodes and edges changed by ±20 %; with
 * `recolour`, also `changedShare` of the edges given another health (another colour on screen).
 */
function perturbed(base: GraphResponse, round: number, recolour = false): Perturbed {
  const graph = structuredClone(base);
  if (recolour) {
    const pick = seeded(round + 1_000);
    for (const edge of graph.edges) {
      if (pick() >= changedShare) continue;
      const others = healthStates.filter((state) => state !== edge.health);
      edge.health = others[Math.floor(pick() * others.length)] ?? 'failure';
    }
  }
  const slots: { holder: Record<string, unknown>; key: string }[] = [];
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) for (const item of value) collect(item);
    else if (typeof value === 'object' && value !== null) {
      const holder = value as Record<string, unknown>;
      for (const [key, field] of Object.entries(holder)) {
        if (typeof field === 'number') slots.push({ holder, key });
        else collect(field);
      }
    }
  };
  collect(graph.nodes);
  collect(graph.edges);
  const random = seeded(round);
  const changed = Math.round(slots.length * changedShare);
  for (let index = 0; index < changed; index += 1) {
    const pick = index + Math.floor(random() * (slots.length - index));
    const slot = slots[pick] as (typeof slots)[number];
    slots[pick] = slots[index] as (typeof slots)[number];
    const value = slot.holder[slot.key] as number;
    slot.holder[slot.key] = value === 0 ? 0.001 : value * (0.8 + 0.4 * random());
  }
  graph.timestamp = new Date().toISOString();
  return { body: JSON.stringify(graph), changed, numbers: slots.length };
}

/**
 * The dashboard refuses callers without credentials: the demo gets this launch secret, requests
 * send it as a bearer token, and browser contexts start with the session cookie its launch link
 * would set (server/auth/gate.ts `localSessionValue`, as e2e/support/auth.ts computes it).
 */
const launchSecret = randomBytes(24).toString('base64url');
const authorization = { authorization: `Bearer ${launchSecret}` };

function sessionCookie(url: string) {
  return {
    name: `meshscope-session-${new URL(url).port}`,
    value: createHmac('sha256', `meshscope-signing:${launchSecret}`)
      .update('local-session')
      .digest('base64url'),
    domain: new URL(url).hostname,
    path: '/',
    expires: -1,
  };
}

/** NODE_OPTIONS without this runner's react-server condition: the dashboard sets its own. */
function childEnvironment(): NodeJS.ProcessEnv {
  const nodeOptions = (process.env.NODE_OPTIONS ?? '').replace(/--conditions[= ]react-server/g, '').trim();
  return { ...process.env, NODE_OPTIONS: nodeOptions, MESHSCOPE_LAUNCH_SECRET: launchSecret };
}

interface Demo {
  url: string;
  stop(): Promise<void>;
}

/** `meshscope demo` in a child process, resolved on its ready line. */
async function startDemo(services: number, namespaces: number): Promise<Demo> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      LAUNCHER_ENTRY,
      'demo',
      '--scenario',
      'large',
      '--services',
      String(services),
      '--namespaces',
      String(namespaces),
      '--port',
      String(port),
      '--with-prometheus',
    ],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: childEnvironment() },
  );
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await rm(demoKubeconfigDir(port), { recursive: true, force: true });
  };
  const keep = (line: string) => {
    output.push(line);
    if (output.length > 200) output.shift();
  };
  if (child.stderr) createInterface({ input: child.stderr }).on('line', keep);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the demo did not start within ${demoReadyMs / 1000} s:\n${output.join('\n')}`));
    }, demoReadyMs);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited (${code}):\n${output.slice(-30).join('\n')}`));
    });
    if (!child.stdout) throw new Error('spawn without piped stdout');
    createInterface({ input: child.stdout }).on('line', (line) => {
      keep(line);
      if (!line.startsWith(DASHBOARD_READY_PREFIX)) return;
      clearTimeout(timer);
      // The line may carry the launch link (`/?launch=SECRET`): only its origin is wanted here.
      resolve({ url: new URL(line.slice(DASHBOARD_READY_PREFIX.length).trim()).origin, stop });
    });
  });
}

function meshNamespaces(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `mesh-${String(index).padStart(2, '0')}`);
}

function leafCount(graph: GraphResponse): number {
  return graph.nodes.filter((node) => !node.isBox).length;
}

/**
 * Polls `/api/graph` until the graph is complete (Prometheus telemetry, no telemetry warning,
 * the same element counts twice in a row); then times a few requests. Returns the graph.
 */
async function awaitGraph(report: Report, name: string, apiUrl: string): Promise<GraphResponse> {
  const deadline = Date.now() + graphReadyMs;
  let previousEdges = Number.NEGATIVE_INFINITY;
  let graph: GraphResponse | undefined;
  for (;;) {
    const response = await fetch(apiUrl, { headers: authorization });
    const text = await response.text();
    if (!response.ok) throw new Error(`/api/graph answered ${response.status}: ${text.slice(0, 300)}`);
    graph = JSON.parse(text) as GraphResponse;
    const counts = `${graph.nodes.length}/${graph.edges.length}`;
    // Live traffic: a rare call may come and go between two answers; 1 % either way is complete.
    const withRates =
      graph.telemetry?.source === 'prometheus' &&
      graph.edges.length > 0 &&
      !graph.warnings.some((warning) => warning.source === 'telemetry');
    const ready = withRates && Math.abs(graph.edges.length - previousEdges) <= graph.edges.length / 100;
    if (ready) break;
    previousEdges = graph.edges.length;
    if (Date.now() > deadline) {
      const state = `${counts}, ${graph.warnings.map((warning) => warning.message).join('; ') || 'no warnings'}`;
      if (!withRates) throw new Error(`the graph has no rates after ${graphReadyMs / 1000} s: ${state}`);
      // At 5,000 services the edge count can keep moving by more than 1 % between answers that
      // take many seconds each: measure the graph as it is, and say so.
      report.note(
        `${name}: the edge count still moved after ${graphReadyMs / 1000} s (${state}); measured as it was`,
      );
      break;
    }
    await sleep(5_000);
  }
  const times: number[] = [];
  let bytes = 0;
  for (let index = 0; index < 3; index += 1) {
    const started = performance.now();
    const response = await fetch(apiUrl, { headers: authorization });
    bytes = (await response.arrayBuffer()).byteLength;
    times.push(performance.now() - started);
  }
  report.figure(`${name}.nodes`, leafCount(graph), 'nodes (not boxes)');
  report.figure(`${name}.boxes`, graph.nodes.length - leafCount(graph), 'app boxes');
  report.figure(`${name}.edges`, graph.edges.length, 'edges');
  report.figure(`${name}.json_bytes`, bytes, 'bytes');
  report.figure(
    `${name}.http_time`,
    median(times),
    'ms (median of 3, through the dashboard, with Prometheus)',
  );
  for (const warning of graph.warnings) report.note(`${name} warning: ${warning.message}`);
  return graph;
}

/** The running demo's URL, for the session cookie of the pages opened on it. */
let dashboardUrl: string | undefined;

async function newPage(
  browser: Browser,
): Promise<{ context: BrowserContext; page: Page; crashed: () => boolean }> {
  const context = await browser.newContext({ viewport });
  if (dashboardUrl) await context.addCookies([sessionCookie(dashboardUrl)]);
  await context.addInitScript({
    content: `${pageHelpers}\ncollectDrawnMarks(${JSON.stringify(drawnMark)});`,
  });
  const page = await context.newPage();
  let crashed = false;
  page.on('crash', () => {
    crashed = true;
  });
  const troubles: string[] = [];
  page.on('pageerror', (error) => troubles.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) troubles.push(`${response.status()} ${response.url().slice(0, 120)}`);
  });
  pageTroubles.set(page, troubles);
  return { context, page, crashed: () => crashed };
}

/** What went wrong in a page so far (errors, failed requests), for a timeout's message. */
const pageTroubles = new WeakMap<Page, string[]>();

async function waitForDrawn(page: Page, count: number): Promise<void> {
  try {
    await page.waitForFunction((n) => benchWindow().__bench.drawn.length >= n, count, {
      timeout: drawnTimeoutMs,
      polling: 50,
    });
  } catch (error) {
    if (!(error instanceof errors.TimeoutError)) throw error;
    const text = await page
      .evaluate(() => (document.body.textContent ?? '').replace(/\s+/g, ' ').slice(0, 400))
      .catch(() => '(page unreadable)');
    const troubles = (pageTroubles.get(page) ?? []).slice(-10).join('; ') || 'none';
    error.message += `\n  page errors and failed requests: ${troubles}\n  page text: ${text}`;
    throw error;
  }
}

interface DrawnTiming {
  /** last byte of the graph's answer to the drawn frame */
  dataToDrawn: number;
  /** applying the elements (sync, layout) to the drawn frame */
  applyToDrawn: number;
  /** request start to last byte */
  fetchMs: number;
  /** navigation start to the drawn frame */
  navigationToDrawn: number;
  laidOut: boolean;
  elements: number;
}

/** The timing of the `index`th drawn mark against the latest `/api/graph` request before it. */
function drawnTiming(page: Page, index: number): Promise<DrawnTiming> {
  return page.evaluate((at) => {
    const drawn = benchWindow().__bench.drawn[at];
    if (!drawn) throw new Error(`no drawn mark #${at}`);
    const requests = performance
      .getEntriesByType('resource')
      .filter(
        (entry) => new URL(entry.name).pathname === '/api/graph' && entry.startTime < drawn.at,
      ) as PerformanceResourceTiming[];
    const request = requests.at(-1);
    if (!request) throw new Error('no /api/graph request before the drawn frame');
    return {
      dataToDrawn: drawn.at - request.responseEnd,
      applyToDrawn: drawn.detail.applyMs,
      fetchMs: request.responseEnd - request.startTime,
      navigationToDrawn: drawn.at,
      laidOut: drawn.detail.laidOut,
      elements: drawn.detail.elements,
    };
  }, index);
}

async function measureFirstRender(
  report: Report,
  services: number,
  browser: Browser,
  pageUrl: string,
): Promise<void> {
  const name = `first_render.${services}`;
  const runs: DrawnTiming[] = [];
  const count = runsFor(services);
  for (let index = 0; index < warmups + count; index += 1) {
    const { context, page, crashed } = await newPage(browser);
    try {
      await page.goto(pageUrl, { waitUntil: 'commit' });
      await waitForDrawn(page, 1);
      const timing = await drawnTiming(page, 0);
      if (index >= warmups) runs.push(timing);
    } catch (error) {
      if (!crashed()) throw error;
      report.note(`${name}: the page crashed in run ${index + 1}`);
    } finally {
      await context.close();
    }
  }
  if (runs.length === 0) return;
  const pick = (key: keyof DrawnTiming) => median(runs.map((run) => Number(run[key])));
  report.figure(`${name}.runs`, runs.length, 'fresh pages (medians below)');
  report.figure(`${name}.elements`, pick('elements'), 'cytoscape elements');
  report.figure(`${name}.data_to_drawn`, pick('dataToDrawn'), 'ms');
  report.figure(`${name}.apply_to_drawn`, pick('applyToDrawn'), 'ms (sync + layout + draw)');
  report.figure(`${name}.api_fetch`, pick('fetchMs'), 'ms');
  report.figure(`${name}.navigation_to_drawn`, pick('navigationToDrawn'), 'ms');
  report.figure(
    `${name}.laid_out`,
    runs.filter((run) => run.laidOut).length,
    `of ${runs.length} (expected all)`,
  );
}

/** Leaf node positions kept in the page, to count the nodes a refresh moved. */
function rememberPositions(page: Page): Promise<void> {
  return page.evaluate((selector) => {
    const cy = cyOf(selector);
    benchWindow().__positions = new Map(
      cy
        .nodes()
        .toArray()
        .filter((node) => node.isNode() && !node.isParent())
        .map((node) => [node.id(), { ...(node as NodeSingular).position() }] as const),
    );
  }, canvasSelector);
}

function movedNodes(page: Page): Promise<number> {
  return page.evaluate((selector) => {
    const before = benchWindow().__positions;
    let moved = 0;
    for (const node of cyOf(selector).nodes().toArray()) {
      const was = before.get(node.id());
      const now = node.position();
      if (was && (Math.abs(now.x - was.x) > 0.5 || Math.abs(now.y - was.y) > 0.5)) moved += 1;
    }
    return moved;
  }, canvasSelector);
}

interface PanResult {
  /** frames cytoscape drew per second of the drag */
  fps: number;
  /** longest time without a drawn frame, from the button press on */
  worstFrameMs: number;
  /** requestAnimationFrame callbacks per second: how free the main thread was */
  rafFps: number;
}

/** A point of the canvas with no node under it, near the middle, in page coordinates. */
function freePoint(page: Page, selector: string): Promise<{ x: number; y: number }> {
  return page.evaluate((within) => {
    const container = document.querySelector(within);
    if (!container) throw new Error(`no ${within}`);
    const cy = cyOf(within);
    const rect = container.getBoundingClientRect();
    const margin = 8;
    const boxes = cy.nodes(':visible').map((node) => node.renderedBoundingBox({ includeLabels: true }));
    const free = (x: number, y: number) =>
      !boxes.some(
        (box) => x >= box.x1 - margin && x <= box.x2 + margin && y >= box.y1 - margin && y <= box.y2 + margin,
      );
    const candidates: { x: number; y: number; distance: number }[] = [];
    for (let x = rect.width * 0.25; x <= rect.width * 0.75; x += 6)
      for (let y = rect.height * 0.25; y <= rect.height * 0.75; y += 6)
        candidates.push({ x, y, distance: Math.hypot(x - rect.width / 2, y - rect.height / 2) });
    candidates.sort((a, b) => a.distance - b.distance);
    const found = candidates.find((point) => free(point.x, point.y)) ?? { x: 10, y: 10 };
    return { x: rect.left + found.x, y: rect.top + found.y };
  }, selector);
}

/**
 * A 3 s mouse drag on the background, driven in the page: a mousedown on the canvas, then one
 * mousemove per animation frame (as a browser delivers a real mouse's moves), then a mouseup, so
 * cytoscape's gesture handling runs (textures, hidden edges and labels while the viewport moves),
 * unlike `cy.panBy`. Driving it from here instead would cap the moves at the round-trip rate of
 * the DevTools protocol (about 30 per second on this box). Frames drawn are counted by wrapping
 * the renderer's `render` (what its animation-frame loop calls to draw, on canvas and WebGL
 * alike; nested texture renders excluded): WebGL mode emits no `render` event.
 */
async function dragPan(page: Page, selector: string): Promise<PanResult> {
  // Warnings above the canvas (5,000 services) can push part of it below the fold.
  await page.locator(selector).evaluate((canvas) => canvas.scrollIntoView({ block: 'center' }));
  const start = await freePoint(page, selector);
  return page.evaluate(
    async ({ within, x, y, durationMs }) => {
      const renderer = (
        cyOf(within) as unknown as { renderer(): { render(options?: unknown): unknown } }
      ).renderer();
      const original = renderer.render;
      const draws: number[] = [];
      const rafs: number[] = [];
      renderer.render = function (this: unknown, options?: unknown) {
        const result = original.call(this, options);
        if (!(options as { forcedContext?: unknown } | undefined)?.forcedContext)
          draws.push(performance.now());
        return result;
      };
      const target = document.elementFromPoint(x, y);
      if (!target) throw new Error(`nothing at ${x},${y}`);
      const fire = (type: string, clientX: number, clientY: number, buttons: number) =>
        target.dispatchEvent(
          new MouseEvent(type, {
            bubbles: true,
            cancelable: true,
            view: window,
            clientX,
            clientY,
            button: 0,
            buttons,
          }),
        );
      const downAt = performance.now();
      fire('mousedown', x, y, 1);
      let last = { x, y };
      await new Promise<void>((resolve) => {
        const step = (time: number) => {
          const elapsed = performance.now() - downAt;
          if (elapsed >= durationMs) {
            resolve();
            return;
          }
          rafs.push(time);
          const phase = (2 * Math.PI * elapsed) / 1_500;
          last = { x: x + 150 * Math.sin(phase), y: y + 80 * Math.sin(phase / 2) };
          fire('mousemove', last.x, last.y, 1);
          requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      });
      fire('mouseup', last.x, last.y, 0);
      const upAt = performance.now();
      renderer.render = original;
      const seconds = (upAt - downAt) / 1000;
      let worst = 0;
      let previous = downAt;
      for (const time of [...draws, upAt]) {
        worst = Math.max(worst, time - previous);
        previous = time;
      }
      return { fps: draws.length / seconds, worstFrameMs: worst, rafFps: rafs.length / seconds };
    },
    { within: selector, x: start.x, y: start.y, durationMs: panMs },
  );
}

function reportPan(report: Report, name: string, runs: readonly PanResult[]): void {
  report.figure(`${name}.runs`, runs.length, `drags of ${panMs / 1000} s (medians below)`);
  report.figure(`${name}.fps`, median(runs.map((run) => run.fps)), 'frames drawn per s');
  report.figure(`${name}.worst_frame`, median(runs.map((run) => run.worstFrameMs)), 'ms without a frame');
  report.figure(`${name}.raf_fps`, median(runs.map((run) => run.rafFps)), 'animation frames per s');
}

/** The page's cytoscape elements (with positions), stylesheet and canvas size. */
interface PageGraph {
  elements: ElementDefinition[];
  style: StylesheetJson;
  width: number;
  height: number;
}

/** Refresh vs relayout, interleaved, then pans, on one page. Returns its elements and style. */
async function measureLoadedPage(
  report: Report,
  services: number,
  browser: Browser,
  pageUrl: string,
  base: GraphResponse,
  bundle: string,
): Promise<PageGraph | undefined> {
  const { context, page, crashed } = await newPage(browser);
  const rounds = warmups + runsFor(services);
  const refreshes = Array.from({ length: rounds }, (_, index) => perturbed(base, index + 1));
  /** what the next `/api/graph` request gets */
  let nextBody = JSON.stringify(base);
  await page.route(
    (url) => url.pathname === '/api/graph',
    async (route) => {
      const body = nextBody;
      await route.fulfill({
        status: 200,
        contentType: 'application/json',
        body,
        headers: { 'cache-control': 'no-store' },
      });
    },
  );
  try {
    await page.goto(pageUrl, { waitUntil: 'commit' });
    await waitForDrawn(page, 1);
    await page.addScriptTag({ content: bundle });
    const refresh = page.getByRole('button', { name: 'Refresh', exact: true });
    const refreshRuns: (DrawnTiming & { moved: number })[] = [];
    const relayoutRuns: { layoutMs: number; drawnMs: number }[] = [];
    for (let index = 0; index < rounds; index += 1) {
      await rememberPositions(page);
      const marks = await page.evaluate(() => benchWindow().__bench.drawn.length);
      await page.waitForTimeout(settleMs);
      nextBody = refreshes[index]?.body ?? nextBody;
      await refresh.click();
      await waitForDrawn(page, marks + 1);
      const timing = await drawnTiming(page, marks);
      const moved = await movedNodes(page);
      await page.waitForTimeout(settleMs);
      const relayout = await page.evaluate(async (selector) => {
        const cy = cyOf(selector);
        const started = performance.now();
        benchWindow().__meshscopeBench.runLayout(cy);
        const laidOut = performance.now();
        await new Promise<void>((resolve) => cy.one('render', () => resolve()));
        return { layoutMs: laidOut - started, drawnMs: performance.now() - started };
      }, canvasSelector);
      if (index < warmups) continue;
      refreshRuns.push({ ...timing, moved });
      relayoutRuns.push(relayout);
    }
    const first = refreshes[0] as Perturbed;
    report.figure(`refresh.${services}.numbers_changed`, first.changed, `of ${first.numbers} numbers`);
    report.figure(`refresh.${services}.runs`, refreshRuns.length, 'refreshes (medians below)');
    report.figure(
      `refresh.${services}.data_to_drawn`,
      median(refreshRuns.map((run) => run.dataToDrawn)),
      'ms',
    );
    report.figure(
      `refresh.${services}.apply_to_drawn`,
      median(refreshRuns.map((run) => run.applyToDrawn)),
      'ms (sync + draw)',
    );
    report.figure(
      `refresh.${services}.laid_out`,
      refreshRuns.filter((run) => run.laidOut).length,
      `of ${refreshRuns.length} (expected none)`,
    );
    report.figure(
      `refresh.${services}.moved_nodes`,
      Math.max(...refreshRuns.map((run) => run.moved)),
      'nodes (most in one refresh)',
    );
    report.figure(
      `relayout.${services}.layout`,
      median(relayoutRuns.map((run) => run.layoutMs)),
      'ms (runLayout)',
    );
    report.figure(
      `relayout.${services}.layout_to_drawn`,
      median(relayoutRuns.map((run) => run.drawnMs)),
      'ms',
    );
    report.figure(
      `relayout_vs_refresh.${services}`,
      median(relayoutRuns.map((run) => run.drawnMs)) / median(refreshRuns.map((run) => run.dataToDrawn)),
      '× (relayout ÷ refresh)',
    );

    /** Refreshes answered with these bodies in turn; the timings after the warm-up. */
    const refreshWith = async (bodies: readonly string[]): Promise<DrawnTiming[]> => {
      const timings: DrawnTiming[] = [];
      for (const [index, body] of bodies.entries()) {
        const marks = await page.evaluate(() => benchWindow().__bench.drawn.length);
        await page.waitForTimeout(settleMs);
        nextBody = body;
        await refresh.click();
        await waitForDrawn(page, marks + 1);
        if (index >= warmups) timings.push(await drawnTiming(page, marks));
      }
      return timings;
    };
    const reportRefreshes = (name: string, runs: readonly DrawnTiming[], what: string) => {
      report.figure(`${name}.runs`, runs.length, `refreshes: ${what} (medians below)`);
      report.figure(`${name}.data_to_drawn`, median(runs.map((run) => run.dataToDrawn)), 'ms');
      report.figure(
        `${name}.apply_to_drawn`,
        median(runs.map((run) => run.applyToDrawn)),
        'ms (sync + draw)',
      );
    };
    const recoloured = Array.from({ length: rounds }, (_, index) => perturbed(base, index + 100, true).body);
    reportRefreshes(
      `refresh_recolour.${services}`,
      await refreshWith(recoloured),
      `5 % of the numbers and 5 % of the edges' health changed`,
    );
    /** Zooms the canvas (a level, or fitted) and gives the page time to switch overview/detail. */
    const zoomTo = async (level: number | 'fit') => {
      await page.evaluate(
        ({ selector, level }) => {
          const cy = cyOf(selector);
          if (level === 'fit') cy.fit(undefined, 30);
          else cy.zoom({ level, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
        },
        { selector: canvasSelector, level },
      );
      await page.waitForTimeout(2 * settleMs);
    };
    await zoomTo(1);
    const detailed = Array.from({ length: rounds }, (_, index) => perturbed(base, index + 200).body);
    reportRefreshes(
      `refresh_detail.${services}`,
      await refreshWith(detailed),
      '5 % of the numbers changed, zoomed in to 100 % (labels drawn)',
    );
    await zoomTo('fit');

    const pans: PanResult[] = [];
    for (let index = 0; index < warmups + panRuns; index += 1) {
      await page.waitForTimeout(settleMs);
      const pan = await dragPan(page, canvasSelector);
      if (index >= warmups) pans.push(pan);
    }
    report.figure(`pan.${services}.nodes`, leafCount(base), 'nodes (not boxes)');
    reportPan(report, `pan.${services}`, pans);
    if (services !== rendererServices) return undefined;
    return await page.evaluate((selector) => {
      const cy = cyOf(selector);
      return {
        elements: cy.elements().jsons() as unknown as ElementDefinition[],
        style: (cy.style() as unknown as { json(): StylesheetJson }).json(),
        width: cy.width(),
        height: cy.height(),
      };
    }, canvasSelector);
  } catch (error) {
    if (!crashed()) throw error;
    report.note(`refresh/pan at ${services} services: the page crashed`);
    return undefined;
  } finally {
    await context.close();
  }
}

/** The page's elements on a bare page, canvas or WebGL, with GraphCanvas's options for a large graph. */
async function rendererRun(
  browser: Browser,
  bundle: string,
  graph: PageGraph,
  webgl: boolean,
): Promise<(PanResult & { firstFrameMs: number }) | 'crashed'> {
  const { context, page, crashed } = await newPage(browser);
  try {
    // The same canvas size as the page's.
    await page.setContent(
      `<!doctype html><body style="margin:0"><div id="cy" style="width:${graph.width}px;height:${graph.height}px"></div></body>`,
    );
    await page.addScriptTag({ content: pageHelpers });
    await page.addScriptTag({ content: bundle });
    const firstFrameMs = await page.evaluate(
      async ({ elements, style, webgl }) => {
        const started = performance.now();
        const large = elements.length > 1500;
        const cy = benchWindow().__meshscopeBench.cytoscape({
          container: document.getElementById('cy'),
          elements,
          style,
          layout: { name: 'preset' },
          minZoom: 0.05,
          maxZoom: 4,
          boxSelectionEnabled: false,
          selectionType: 'single',
          textureOnViewport: true,
          hideEdgesOnViewport: large,
          hideLabelsOnViewport: large,
          pixelRatio: large ? 1 : 'auto',
          motionBlur: false,
          webgl,
        });
        cy.fit(undefined, 30);
        // cytoscape draws in its requestAnimationFrame loop, registered before this one.
        await new Promise((resolve) => requestAnimationFrame(resolve));
        return performance.now() - started;
      },
      { elements: graph.elements, style: graph.style, webgl },
    );
    await dragPan(page, '#cy');
    const pan = await dragPan(page, '#cy');
    return { ...pan, firstFrameMs };
  } catch (error) {
    if (crashed()) return 'crashed';
    throw error;
  } finally {
    await context.close();
  }
}

async function measureRenderers(
  report: Report,
  browser: Browser,
  bundle: string,
  graph: PageGraph,
): Promise<void> {
  const nodes = graph.elements.filter((element) => element.group === 'nodes');
  const parents = new Set(nodes.map((node) => String(node.data.parent ?? '')));
  report.figure(
    'renderer.nodes',
    nodes.filter((node) => !parents.has(String(node.data.id))).length,
    'nodes (not boxes)',
  );
  report.figure('renderer.elements', graph.elements.length, 'elements');
  const results: Record<'canvas' | 'webgl', (PanResult & { firstFrameMs: number })[]> = {
    canvas: [],
    webgl: [],
  };
  const crashes = { canvas: 0, webgl: 0 };
  for (let index = 0; index < warmups + rendererRuns; index += 1) {
    for (const renderer of ['canvas', 'webgl'] as const) {
      const result = await rendererRun(browser, bundle, graph, renderer === 'webgl');
      if (result === 'crashed') crashes[renderer] += 1;
      else if (index >= warmups) results[renderer].push(result);
    }
  }
  for (const renderer of ['canvas', 'webgl'] as const) {
    const name = `renderer.${renderer}`;
    if (crashes[renderer] > 0) report.figure(`${name}.crashed`, crashes[renderer], 'pages');
    if (results[renderer].length === 0) continue;
    report.figure(
      `${name}.first_frame`,
      median(results[renderer].map((run) => run.firstFrameMs)),
      'ms (init + first frame)',
    );
    reportPan(report, name, results[renderer]);
  }
  if (results.canvas.length > 0 && results.webgl.length > 0)
    report.figure(
      'renderer.webgl_vs_canvas.fps',
      median(results.webgl.map((run) => run.fps)) / median(results.canvas.map((run) => run.fps)),
      '× (WebGL ÷ canvas)',
    );
}

/** cytoscape and the page's layout, bundled for the browser. */
async function benchBundle(): Promise<string> {
  const result = await build({
    stdin: {
      contents: [
        "import cytoscape from 'cytoscape';",
        "import { runLayout } from './lib/graph-view/layout';",
        'Object.assign(window, { __meshscopeBench: { cytoscape, runLayout } });',
      ].join('\n'),
      resolveDir: PROJECT_ROOT,
      sourcefile: 'bench-graph-browser.ts',
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  const text = result.outputFiles[0]?.text;
  if (!text) throw new Error('esbuild produced no bundle');
  return text;
}

async function webglRenderer(browser: Browser): Promise<string> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(() => {
      const gl = document.createElement('canvas').getContext('webgl2');
      if (!gl) return 'none (no WebGL2 context)';
      const info = gl.getExtension('WEBGL_debug_renderer_info');
      return info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : 'WebGL2 (renderer not disclosed)';
    });
  } finally {
    await page.close();
  }
}

async function measureSize(
  report: Report,
  services: number,
  browser: Browser,
  bundle: string,
): Promise<void> {
  const namespaceCount = Math.max(1, services / servicesPerNamespace);
  const started = performance.now();
  const demo = await startDemo(services, namespaceCount);
  dashboardUrl = demo.url;
  try {
    report.figure(
      `setup.${services}.demo_start`,
      (performance.now() - started) / 1000,
      's (build included when stale)',
    );
    const namespaces = meshNamespaces(namespaceCount).join(',');
    const apiUrl = `${demo.url}/api/graph?namespaces=${namespaces}&graphType=${graphType}&duration=60s&idle=false`;
    const pageUrl = `${demo.url}/graph?namespaces=${namespaces}&graphType=${graphType}&refresh=pause`;
    const waited = performance.now();
    const base = await awaitGraph(report, `api.${services}`, apiUrl);
    report.figure(`setup.${services}.graph_complete_after`, (performance.now() - waited) / 1000, 's');
    await measureFirstRender(report, services, browser, pageUrl);
    const graph = await measureLoadedPage(report, services, browser, pageUrl, base, bundle);
    if (graph) await measureRenderers(report, browser, bundle, graph);
  } finally {
    await demo.stop();
  }
}

export async function run(report: Report): Promise<void> {
  const bundle = await benchBundle();
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumFlags });
  try {
    const { version } = JSON.parse(
      readFileSync(join(PROJECT_ROOT, 'node_modules', 'cytoscape', 'package.json'), 'utf8'),
    ) as { version: string };
    report.note(
      `Chromium ${browser.version()} (${chromiumPath}), cytoscape ${version}, WebGL: ${await webglRenderer(browser)}`,
    );
    report.note(`viewport ${viewport.width}×${viewport.height}, flags ${chromiumFlags.join(' ')}`);
    report.note(`graph type ${graphType}, every namespace, refresh paused; ${warmups} warm-up, then medians`);
    report.note(
      'targets: 1,000 services drawn < 1 s after the data; refresh < 50 ms with no relayout; pan 2,000 nodes ≥ 50 fps',
    );
    for (const services of sizes) {
      const sizeStarted = performance.now();
      report.note(
        `${services} services: load average ${loadavg()
          .map((value) => value.toFixed(2))
          .join(' ')}`,
      );
      try {
        await measureSize(report, services, browser, bundle);
      } catch (error) {
        // The largest mesh may not fit the time box: say how far it got rather than fail.
        if (!(error instanceof errors.TimeoutError) || services < 5_000) throw error;
        report.note(`${services} services: not reached: ${error.message.split('\n')[0]}`);
      }
      report.figure(`size.${services}.duration`, (performance.now() - sizeStarted) / 1000, 's');
    }
  } finally {
    await browser.close();
  }
}
