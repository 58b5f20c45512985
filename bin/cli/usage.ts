/** Help texts, kept in step with the command-line contracts in README.md and docs/DESIGN §7. */
export const USAGE = {
  main: `Usage: meshscope <command> [options]

Commands:
  sim     run the simulated Istio mesh (a Kubernetes API server) in the foreground
  demo    run the simulator and the dashboard together
  start   run the dashboard against a cluster

Run "meshscope <command> --help" for the options of a command.`,

  sim: `Usage: meshscope sim [options]

  --scenario NAME            bookinfo (default), chaos, large or bare
  --port P                   port of the simulated API server (default: any free port)
  --address A                address to listen on (default: the simulator's, loopback)
  --kubeconfig-dir DIR       where admin.kubeconfig and viewer.kubeconfig go (default: .meshscope/sim)
  --seed N                   seed of the simulated traffic's randomness
  --services N --namespaces M  size of the "large" scenario
  --prometheus-config FILE   write a Prometheus configuration that scrapes the simulated mesh

Prints "Simulator ready: URL" once it serves; stops on Ctrl-C.`,

  demo: `Usage: meshscope demo [options]

  --port P             dashboard port on 127.0.0.1 (default: 3000)
  --scenario NAME      simulator scenario (default: bookinfo)
  --with-prometheus    also run Prometheus (the prometheus on PATH) on 127.0.0.1, scraping
                       the simulator; the dashboard reads its telemetry from it
  --services N --namespaces M  size of the "large" scenario
  --auth MODE          local (default: the printed URL carries a per-launch secret), token
                       (sign in with a Kubernetes bearer token) or header (behind an
                       authenticating proxy); see README "Access"
  --read-only          hide and refuse every write

Starts the simulator, builds the dashboard if needed, and prints "Meshscope ready: URL".`,

  start: `Usage: meshscope start [options]

  --kubeconfig PATH    kubeconfig file (default: KUBECONFIG, ~/.kube/config, or in-cluster)
  --context NAME       kubeconfig context (default: its current-context)
  --prometheus URL     Prometheus base URL (default: discovered, or sidecars scraped directly)
  --port P             dashboard port (default: 3000)
  --address A          address to listen on (default: 127.0.0.1)
  --read-only          hide and refuse every write
  --auth MODE          local (default), token or header; see README "Access"
  --allowed-hosts H,.. host names the dashboard answers to besides loopback (DNS rebinding guard)

MESHSCOPE_LAUNCH_SECRET fixes local mode's launch secret (default: random per launch).
Builds the dashboard if needed and prints "Meshscope ready: URL".`,
} as const;

export type UsageTopic = keyof typeof USAGE;
