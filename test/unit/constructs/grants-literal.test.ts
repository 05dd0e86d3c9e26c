/**
 * The Lake Formation grants and tag associations of the example mesh, as literal CloudFormation
 * written by hand from mesh/mesh.yaml (consumers, their domains and classifications) and the
 * planner's documented rules, never computed with the code that emits them: a construct that
 * emitted a DATABASE tag policy as TABLE, or dropped a classification value, fails here.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleMeshStacks } from './helpers.js';
import { resourcesOf, type TemplateResource } from './template-json.js';
import { ALL_CLASSES as all, CONSUMER_GRANTS } from '../../support/example-grants.js';

let governance: Record<string, TemplateResource>;
let foundation: Record<string, TemplateResource>;
let governanceDependsOnFoundation = false;
let orders: Record<string, TemplateResource>;

beforeAll(async () => {
  const { stacks } = await exampleMeshStacks();
  governance = resourcesOf(Template.fromStack(stacks.governance));
  foundation = resourcesOf(Template.fromStack(stacks.foundation));
  governanceDependsOnFoundation = stacks.governance.dependencies.includes(stacks.foundation);
  orders = resourcesOf(Template.fromStack(stacks.domains.get('orders')!));
}, 300_000);

const grantsOf = (resources: Record<string, TemplateResource>) => Object.entries(resources).filter(([, r]) => r.Type === 'AWS::LakeFormation::PrincipalPermissions');

describe('consumer grants in the governance account', () => {
  it('are exactly the tag-policy grants the mesh config asks for', () => {
    const viewsDatabase = 'ecommerce_views';
    const consumerGrants = grantsOf(governance)
      .map(([, r]) => r.Properties)
      .filter((p) => !JSON.stringify(p.Resource).includes(viewsDatabase))
      // What the access-request roles may re-grant (test/unit/constructs/access-requests.test.ts).
      .filter((p) => !JSON.stringify(p.Principal).includes('AccessRequests'));
    expect(consumerGrants).toHaveLength(CONSUMER_GRANTS.length);
    for (const expected of CONSUMER_GRANTS) expect(consumerGrants).toContainEqual(expected);
  });

  it("wait for the governance account's data lake settings (its admins): the foundation stack holds them and deploys first", () => {
    expect(Object.values(governance).filter((r) => r.Type.includes('DataLakeSettings'))).toEqual([]);
    expect(Object.values(foundation).filter((r) => r.Type === 'Custom::TesseraDataLakeSettings')).toHaveLength(1);
    expect(governanceDependsOnFoundation).toBe(true);
  });

  it('never reach the restricted class through a wildcard domain', () => {
    const analystGrants = grantsOf(governance).filter(([, r]) => JSON.stringify(r.Properties.Principal).includes('TesseraAnalyst'));
    expect(JSON.stringify(analystGrants)).not.toContain('restricted');
  });
});

describe('the share of a domain with the governance account', () => {
  it("grants the governance account the domain's tables and database by its domain tag, and DESCRIBE on both tags, all with the grant option", () => {
    const shares = grantsOf(orders).map(([, r]) => r.Properties).filter((p) => JSON.stringify(p.Principal) === '{"DataLakePrincipalIdentifier":"111111111111"}');
    const byDomain = [{ TagKey: 'domain', TagValues: ['orders'] }];
    expect(shares).toHaveLength(4);
    expect(shares).toContainEqual({
      Principal: { DataLakePrincipalIdentifier: '111111111111' },
      Resource: { LFTagPolicy: { CatalogId: '333333333333', ResourceType: 'TABLE', Expression: byDomain } },
      Permissions: ['SELECT', 'DESCRIBE'],
      PermissionsWithGrantOption: ['SELECT', 'DESCRIBE'],
    });
    expect(shares).toContainEqual({
      Principal: { DataLakePrincipalIdentifier: '111111111111' },
      Resource: { LFTagPolicy: { CatalogId: '333333333333', ResourceType: 'DATABASE', Expression: byDomain } },
      Permissions: ['DESCRIBE'],
      PermissionsWithGrantOption: ['DESCRIBE'],
    });
    expect(shares).toContainEqual({
      Principal: { DataLakePrincipalIdentifier: '111111111111' },
      Resource: { LFTag: { CatalogId: '333333333333', TagKey: 'domain', TagValues: ['orders'] } },
      Permissions: ['DESCRIBE'],
      PermissionsWithGrantOption: ['DESCRIBE'],
    });
    expect(shares).toContainEqual({
      Principal: { DataLakePrincipalIdentifier: '111111111111' },
      Resource: { LFTag: { CatalogId: '333333333333', TagKey: 'classification', TagValues: all } },
      Permissions: ['DESCRIBE'],
      PermissionsWithGrantOption: ['DESCRIBE'],
    });
  });
});

describe('grants are applied one at a time (defect 9)', () => {
  for (const [name, resources] of [
    ['governance', () => governance],
    ['orders', () => orders],
  ] as const) {
    it(`${name}: the grants form one chain, each waiting for the one before`, () => {
      const grants = grantsOf(resources());
      const ids = new Set(grants.map(([id]) => id));
      const previous = new Map(grants.map(([id, r]) => [id, (r.DependsOn ?? []).filter((d) => ids.has(d))]));
      const heads = [...previous].filter(([, deps]) => deps.length === 0).map(([id]) => id);
      expect(heads).toHaveLength(1);
      // Walk the chain from its head: every grant is reached once, each step by exactly one successor.
      const next = new Map<string, string[]>();
      for (const [id, deps] of previous) for (const d of deps) next.set(d, [...(next.get(d) ?? []), id]);
      const seen = [heads[0]!];
      while (next.has(seen[seen.length - 1]!)) {
        const successors = next.get(seen[seen.length - 1]!)!;
        expect(successors).toHaveLength(1);
        seen.push(successors[0]!);
      }
      expect(new Set(seen)).toEqual(ids);
    });
  }
});

describe('tag associations survive a contract that adds a column (defect 9)', () => {
  it('are retained when replaced or removed, so the old one never strips tags the new one set', () => {
    const associations = Object.entries(orders).filter(([, r]) => r.Type === 'AWS::LakeFormation::TagAssociation' && JSON.stringify(r.Properties.LFTags).includes('classification'));
    expect(associations.length).toBeGreaterThan(0);
    for (const [id, association] of associations) {
      const options = association as unknown as { UpdateReplacePolicy?: string; DeletionPolicy?: string };
      expect([id, options.UpdateReplacePolicy, options.DeletionPolicy]).toEqual([id, 'Retain', 'Retain']);
    }
  });

  it('keep one association per table and class, with a logical id that does not depend on the columns', () => {
    // order_lines' columns are public or internal: one column association per class (the table's own is separate).
    const ids = Object.entries(orders)
      .filter(([, r]) => r.Type === 'AWS::LakeFormation::TagAssociation' && JSON.stringify(r.Properties.Resource).includes('TableWithColumns'))
      .map(([id]) => id.replace(/[0-9A-F]{8}$/, ''));
    expect(ids.filter((id) => id.startsWith('OrderLinesTagsOrderLines')).sort()).toEqual(['OrderLinesTagsOrderLinesInternal', 'OrderLinesTagsOrderLinesPublic']);
  });
});
