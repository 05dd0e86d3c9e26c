/**
 * The demo's access-request expiry: what the one-time EventBridge Scheduler schedule does at the
 * end of a request's duration, shown on the local catalog with the clock moved on. A request for an
 * hour is approved by the product's owner; Lake Formation holds the grant (ListPermissions on
 * moto, which stores grants but evaluates none); the schedule is read back from moto's Scheduler;
 * then, an hour and five minutes later, the expiry handler runs and the grant is gone.
 */
import { LakeFormationClient, ListPermissionsCommand } from '@aws-sdk/client-lakeformation';
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { LocalAccess } from '../../lambdas/access/local.js';
import type { Mesh } from '../../lib/mesh/load.js';
import { openLocalCatalog } from './catalog.js';

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface ExpiryDemoActors {
  /** The caller's identity as API Gateway reports it. */
  readonly requester: string;
  readonly owner: string;
  /** The IAM role the requester's session belongs to: the principal Lake Formation grants. */
  readonly role: string;
}

export async function demoAccessExpiry(mesh: Mesh, product: string, columns: readonly string[], who: ExpiryDemoActors, print: (line: string) => void): Promise<void> {
  let clock = new Date();
  const run = await openLocalCatalog(mesh);
  try {
    const config = { endpoint: run.endpoint, region: mesh.config.region, credentials: CREDENTIALS };
    const access = await LocalAccess.open({ ...config, mesh: mesh.config.name, account: mesh.config.governance.account, catalog: run.catalog.store, now: () => clock });
    const lakeFormation = new LakeFormationClient(config);
    const held = async (): Promise<string[]> => {
      const { PrincipalResourcePermissions } = await lakeFormation.send(new ListPermissionsCommand({}));
      return (PrincipalResourcePermissions ?? [])
        .filter((p) => p.Principal?.DataLakePrincipalIdentifier === who.role)
        .map((p) => `${[...(p.Permissions ?? [])].sort().join('+')} on ${JSON.stringify(p.Resource)}`);
    };
    const before = new Set(await held());
    const added = async (): Promise<string[]> => (await held()).filter((p) => !before.has(p));
    const asked = await access.call<{ id: string; revision: number }>('POST', '/access-requests', { as: who.requester, body: { product, columns, reason: 'a one-hour look', duration: '1h' } });
    if (asked.status !== 201) throw new Error(`the demo's request was refused: ${asked.status} ${JSON.stringify(asked.body)}`);
    const { id } = asked.body;
    const approved = await access.call<{ state: string; expiresAt: string }>('POST', `/access-requests/${id}/approve`, { as: who.owner, body: { revision: asked.body.revision } });
    if (approved.body.state !== 'active') throw new Error(`the demo's approval did not grant: ${approved.status} ${JSON.stringify(approved.body)}`);
    const schedule = await new SchedulerClient(config).send(new GetScheduleCommand({ Name: `tessera-access-${id}` }));
    print(`${id}: ${product}(${columns.join(', ')}) for 1h, approved by the owner; ${who.role} now holds in Lake Formation:`);
    for (const p of await added()) print(`  ${p}`);
    print(`schedule ${schedule.Name}: ${schedule.ScheduleExpression} (${schedule.ScheduleExpressionTimezone ?? 'UTC'}), then deleted`);
    clock = new Date(Date.parse(approved.body.expiresAt) + 5 * 60_000);
    const expired = await access.expire(id);
    const left = await added();
    print(`at ${clock.toISOString()} the schedule runs the expiry handler: ${expired.state}; of the request's grants ${left.length === 0 ? 'none is left' : 'these are kept, as the mesh config grants them too:'}`);
    for (const p of left) print(`  ${p}`);
  } finally {
    await run.close();
  }
}
