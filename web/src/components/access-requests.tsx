/**
 * The access requests of one product (`GET /access-requests?product=`): those waiting for a
 * decision, and the grants requests hold now, so a consumer sees whether someone already asked and
 * an owner sees what waits for them.
 */
import type { z } from 'zod';
import type { accessRequestListSchema } from '../../../lib/access/requests/api-schema.js';
import { TableHead } from './table-head.js';

export type AccessRequestList = z.infer<typeof accessRequestListSchema>;
type AccessRequest = AccessRequestList['items'][number];

/** `Role (session)` of an assumed-role ARN, the last name of a role or user ARN. */
const shortName = (arn: string): string => {
  const assumed = /:assumed-role\/([^/]+)\/(.+)$/.exec(arn);
  return assumed ? `${assumed[1]} (${assumed[2]})` : arn.slice(arn.lastIndexOf('/') + 1) || arn;
};

const scopeText = (r: AccessRequest): string =>
  `${r.scope.kind === 'classification' ? `columns up to ${r.scope.classification}` : r.scope.columns.join(', ')}${r.rowFilter ? `, rows where ${r.rowFilter.expression}` : ''}`;

const durationText = (seconds: number): string => (seconds % 86400 === 0 ? `${seconds / 86400} d` : `${Math.round(seconds / 3600)} h`);

export function AccessRequests({ requests }: { requests: AccessRequestList | { error: string } }) {
  if ('error' in requests) return <p>The access requests could not be read: {requests.error}</p>;
  const open = requests.items.filter((r) => r.state === 'pending' || r.state === 'approved');
  const active = requests.items.filter((r) => r.state === 'active');
  return (
    <>
      {open.length === 0 ? (
        <p>No request is waiting for a decision.</p>
      ) : (
        <table>
          <caption>Open requests, newest first</caption>
          <TableHead columns={['request', 'asked by', 'for', 'duration', 'reason', 'approvals', 'decide by']} />
          <tbody>
            {open.map((r) => (
              <tr key={r.id}>
                <td>{r.id}</td>
                <td>{shortName(r.requester)}</td>
                <td>{scopeText(r)}</td>
                <td>{durationText(r.durationSeconds)}</td>
                <td>{r.reason}</td>
                <td>{`${r.approvals.length} of ${r.needsAdmin ? 2 : 1}${r.needsAdmin ? ' (an owner and a governance admin)' : ' (an owner)'}`}</td>
                <td>{r.decideBy}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {active.length === 0 ? null : (
        <table>
          <caption>Granted through requests</caption>
          <TableHead columns={['request', 'granted to', 'for', 'until']} />
          <tbody>
            {active.map((r) => (
              <tr key={r.id}>
                <td>{r.id}</td>
                <td>{shortName(r.grant.principal)}</td>
                <td>{scopeText(r)}</td>
                <td>{r.expiresAt ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
