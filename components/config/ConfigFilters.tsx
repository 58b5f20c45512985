import { ISTIO_KINDS } from '@/lib/istio-config/kinds';
import type { ConfigPageState } from '@/lib/istio-config/params';

export interface ConfigFiltersProps {
  state: ConfigPageState;
  namespaces: readonly string[];
  onChange: (patch: Partial<ConfigPageState>) => void;
}

/** Kind, namespace and severity filters; each is "all" when unset. */
export function ConfigFilters({ state, namespaces, onChange }: ConfigFiltersProps) {
  const namespaceOptions =
    state.namespace && !namespaces.includes(state.namespace) ? [state.namespace, ...namespaces] : namespaces;
  return (
    <form className="config-filters" aria-label="Filters" onSubmit={(event) => event.preventDefault()}>
      <label>
        <span className="field-label">Kind</span>
        <select
          value={state.kind}
          onChange={(event) => onChange({ kind: event.target.value as ConfigPageState['kind'] })}
        >
          <option value="">All kinds</option>
          {ISTIO_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {kind}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="field-label">Namespace</span>
        <select value={state.namespace} onChange={(event) => onChange({ namespace: event.target.value })}>
          <option value="">All namespaces</option>
          {namespaceOptions.map((namespace) => (
            <option key={namespace} value={namespace}>
              {namespace}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="field-label">Severity</span>
        <select
          value={state.severity}
          onChange={(event) => onChange({ severity: event.target.value as ConfigPageState['severity'] })}
        >
          <option value="">Any (all objects)</option>
          <option value="error">Errors</option>
          <option value="warning">Warnings</option>
          <option value="info">Info</option>
        </select>
      </label>
    </form>
  );
}
