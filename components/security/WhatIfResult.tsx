import type { AuthzCheckResponse } from '@/lib/types/security';

/** The what-if answer: the decision, what made it (policy and rule) in words, and the trace. */
export function WhatIfResult({ answer }: { answer: AuthzCheckResponse }) {
  const decidedBy = answer.policy
    ? `${answer.policy.kind} ${answer.policy.namespace}/${answer.policy.name}${answer.policy.action ? ` (${answer.policy.action})` : ''}${answer.rule !== undefined ? `, rule ${answer.rule}` : ''}`
    : 'the default (no policy decided)';
  return (
    <section
      aria-label="What-if decision"
      className="whatif-result"
      data-testid="whatif-result"
      aria-live="polite"
    >
      <p className={`whatif-decision whatif-decision-${answer.decision.toLowerCase()}`}>
        <strong data-testid="whatif-decision">{answer.decision}</strong>{' '}
        {answer.stage === 'connection'
          ? 'at the connection (mTLS), before authorization'
          : 'by authorization'}
      </p>
      <p data-testid="whatif-decided-by">Decided by {decidedBy}.</p>
      <p data-testid="whatif-reason">{answer.reason}</p>
      <p className="muted">
        The destination sees {answer.peer.mtls ? 'a mutual-TLS peer' : 'a plaintext peer'}
        {answer.peer.principal ? ` with principal ${answer.peer.principal}` : ''}
        {answer.peer.ip ? ` from ${answer.peer.ip}` : ''}
        {answer.peer.port ? ` on port ${answer.peer.port}` : ''}.
      </p>
      {answer.trace.length > 0 && (
        <table className="data-table">
          <caption>Policies in evaluation order</caption>
          <thead>
            <tr>
              <th scope="col">Policy</th>
              <th scope="col">Action</th>
              <th scope="col">Matched</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {answer.trace.map((step) => (
              <tr key={`${step.policy.namespace}/${step.policy.name}`}>
                <th scope="row">
                  {step.policy.namespace}/{step.policy.name}
                </th>
                <td>
                  {step.action}
                  {step.dryRun ? ' (dry run)' : ''}
                </td>
                <td>{step.matched ? `yes${step.rule !== undefined ? `, rule ${step.rule}` : ''}` : 'no'}</td>
                <td>{step.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {answer.notes.length > 0 && (
        <ul className="muted">
          {answer.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
