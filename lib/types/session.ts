/** What `GET /api/auth/session` answers: who is signed in and how (never a credential). */
export interface SessionResponse {
  /** README "Access": local (launch secret), token (Kubernetes token) or header (proxy) */
  mode: 'local' | 'token' | 'header';
  /** the user name as the cluster knows it (local mode: the kubeconfig user) */
  user: string;
  groups: string[];
  /** what carried the credential */
  via: 'cookie' | 'bearer' | 'proxy';
  /** the dashboard refuses every write (`--read-only`) */
  readOnly: boolean;
}
