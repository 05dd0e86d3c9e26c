/**
 * The governance account's grants, applied through the Lake Formation API of a real local AWS API
 * server (moto), read back, and found equal to the grants mesh.yaml asks for (written out by hand in
 * test/support/example-grants.ts), and to the access the model explains:
 * evaluating the grants moto holds against the mesh's tagged columns gives the model's matrix.
 */
import { GrantPermissionsCommand, LakeFormationClient, ListPermissionsCommand, type PrincipalResourcePermissions, type Resource } from '@aws-sdk/client-lakeformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeAccess, evaluateAccess, matches, type AccessAnalysis, type PermissionStep } from '../../lib/access/index.js';
import { loadMeshFile } from '../../lib/mesh/load.js';
import { permissionResource, permissionSteps } from '../../constructs/core/grants.js';
import { startMoto, TEST_CREDENTIALS, TEST_REGION, type Moto } from '../support/moto.js';
import { root } from '../unit/constructs/helpers.js';
import { CONSUMER_GRANTS } from '../support/example-grants.js';

let moto: Moto;
let lf: LakeFormationClient;
let analysis: AccessAnalysis;
let steps: PermissionStep[];

/** CloudFormation's and the API's resource shapes differ only in key case: PascalCase the keys. */
function apiResource(step: PermissionStep): Resource {
  const pascal = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(pascal)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k === 'lfTagPolicy' ? 'LFTagPolicy' : k === 'lfTag' ? 'LFTag' : k[0]!.toUpperCase() + k.slice(1), pascal(v)]))
        : value;
  return pascal(permissionResource(step.resource)) as Resource;
}

beforeAll(async () => {
  moto = await startMoto();
  lf = new LakeFormationClient({ region: TEST_REGION, credentials: TEST_CREDENTIALS, endpoint: moto.endpoint });
  const { mesh } = await loadMeshFile(`${root}/mesh/mesh.yaml`);
  analysis = analyzeAccess(mesh!);
  steps = permissionSteps(analysis.plan.steps, mesh!.config.governance.account, 'consumer');
  for (const step of steps) {
    await lf.send(
      new GrantPermissionsCommand({
        Principal: { DataLakePrincipalIdentifier: step.principal },
        Resource: apiResource(step),
        Permissions: [...step.permissions],
        PermissionsWithGrantOption: [...step.grantable],
      }),
    );
  }
});

afterAll(async () => {
  await moto?.stop();
});

async function readBack(): Promise<PrincipalResourcePermissions[]> {
  const all: PrincipalResourcePermissions[] = [];
  let token: string | undefined;
  do {
    const page = await lf.send(new ListPermissionsCommand({ NextToken: token }));
    all.push(...(page.PrincipalResourcePermissions ?? []));
    token = page.NextToken;
  } while (token);
  return all;
}

describe('grants applied through the Lake Formation API (moto)', () => {
  it('reads back exactly the grants of the plan', async () => {
    const held = await readBack();
    // Key order is the API's business: compare canonical JSON.
    const canonical = (value: unknown): unknown =>
      Array.isArray(value) ? value.map(canonical) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, canonical(v)])) : value;
    const normalize = (principal: string | undefined, resource: unknown, permissions: readonly string[] | undefined) =>
      JSON.stringify(canonical([principal, resource, [...(permissions ?? [])].sort()]));
    // Written out by hand from mesh.yaml, not from the plan: a planner or emitter that got a resource
    // type, a catalog or a class wrong fails here.
    const expected = CONSUMER_GRANTS.map((g) => normalize(g.Principal.DataLakePrincipalIdentifier, g.Resource, g.Permissions)).sort();
    const actual = held.map((h) => normalize(h.Principal?.DataLakePrincipalIdentifier, h.Resource, h.Permissions)).sort();
    expect(actual).toEqual(expected);
  });

  it('gives every consumer exactly the columns the model explains', async () => {
    const held = await readBack();
    const matrix = evaluateAccess(analysis.model);
    for (const principal of matrix.principals) {
      const expressions = held
        .filter((h) => h.Principal?.DataLakePrincipalIdentifier === principal.principal.arn && h.Resource?.LFTagPolicy?.ResourceType === 'TABLE' && h.Permissions?.includes('SELECT'))
        .map((h) => ({
          catalog: h.Resource!.LFTagPolicy!.CatalogId!,
          expression: (h.Resource!.LFTagPolicy!.Expression ?? []).map((c) => ({ key: c.TagKey!, values: c.TagValues ?? [] })),
        }));
      for (const table of principal.tables) {
        const model = analysis.model.tables.find((t) => t.id === table.id)!;
        for (const column of table.columns) {
          const resource = model.columns.find((c) => c.id === column.id)!;
          const readable = expressions.some((e) => e.catalog === resource.account && matches(e.expression, resource.effectiveTags));
          expect(readable, `${principal.principal.name} ${table.table}.${column.name}`).toBe(column.readable);
        }
      }
    }
  });
});
