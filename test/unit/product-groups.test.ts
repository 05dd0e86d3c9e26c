/**
 * Domain stacks inside CloudFormation's 500 resources by construction (constructs/product-group-stack.ts):
 * the products in groups of `productsPerStack`, the first group in the domain stack, the others in
 * nested stacks `Products2`, `Products3`, ..., under logical ids that do not move when a domain
 * grows past a group.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeScaleMesh } from '../../bench/scale-mesh.js';
import { buildMeshApp, type MeshStacks } from '../../constructs/mesh-app.js';
import { DataProduct } from '../../constructs/data-product.js';
import { productGroups } from '../../constructs/product-group-stack.js';
import { loadMeshFile, type Mesh } from '../../lib/mesh/load.js';
import { cdkContext } from './constructs/helpers.js';

interface Resource { Type: string; Properties?: Record<string, unknown>; DependsOn?: string[] }
type Resources = Record<string, Resource>;

const dir = mkdtempSync(join(tmpdir(), 'tessera-product-groups-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function domainOf(products: number): Promise<Mesh> {
  // One mesh name, so two meshes differ only by what the extra products bring.
  return (await loadMeshFile(await writeScaleMesh(join(dir, `p${products}`), 1, products, 'grow'))).mesh!;
}

function build(mesh: Mesh, productsPerStack?: number): MeshStacks {
  const app = new App({ context: cdkContext({ 'aws:cdk:bundling-stacks': [] }) });
  return buildMeshApp(app, mesh, { complianceChecks: false, productsPerStack });
}

const resources = (template: Template): Resources => template.toJSON().Resources as Resources;

describe('productGroups', () => {
  it('cuts the products in config order into groups of productsPerStack, 20 unless told', () => {
    const fifty = Array.from({ length: 50 }, (_, i) => i + 1);
    expect(productGroups(fifty).map((g) => [g[0], g.at(-1), g.length])).toEqual([[1, 20, 20], [21, 40, 20], [41, 50, 10]]);
    expect(productGroups(fifty, 25).map((g) => g.length)).toEqual([25, 25]);
    expect(productGroups(fifty.slice(0, 20))).toEqual([fifty.slice(0, 20)]);
    expect(productGroups([])).toEqual([[]]);
  });

  it('refuses a group size that is not a whole number of at least 1', () => {
    expect(() => productGroups([1], 0)).toThrow('productsPerStack must be a whole number of at least 1, not 0');
    expect(() => productGroups([1], 2.5)).toThrow('productsPerStack must be a whole number of at least 1, not 2.5');
  });
});

describe('a domain that grows from 20 to 21 products', () => {
  let twenty: MeshStacks;
  let twentyOne: MeshStacks;
  let before: Resources;
  let after: Resources;
  beforeAll(async () => {
    twenty = build(await domainOf(20));
    twentyOne = build(await domainOf(21));
    before = resources(Template.fromStack(twenty.domains.get('d001')!));
    after = resources(Template.fromStack(twentyOne.domains.get('d001')!));
  });

  it('keeps its first 20 products in the domain stack, under the logical ids they had', () => {
    expect(twenty.domains.get('d001')!.productGroups).toEqual([]);
    for (const id of ['D001P1BucketDA01B0C0', 'D001P1TableP1C36808B8', 'D001P1LocationED4DB581', 'D001P1TagsP1Confidential5D88E02D', 'D001P1WriteP1tesseragrowd001ProducerRoleF3DBE9FD50C7C24D', 'QualityScheduleD001P174B22D91', 'D001P20Bucket87A2820D']) {
      expect(before[id], id).toBeDefined();
      expect(after[id], id).toEqual(before[id]);
    }
  });

  it('changes nothing else in the domain stack but the nested stack, the revocation list and the log bucket policy', () => {
    const changed = Object.keys(before).filter((id) => JSON.stringify(before[id]) !== JSON.stringify(after[id]));
    expect(changed.sort()).toEqual(['AccessLogsBucketPolicy3D5B5143', 'IamAllowedPrincipalsRevocation']);
    expect(Object.keys(after).filter((id) => !(id in before))).toEqual(['Products2NestedStackProducts2NestedStackResource668F5F90']);
  });

  it('puts product 21 with its quality schedule, alarms and dashboard in the nested stack Products2', () => {
    const group = twentyOne.domains.get('d001')!.productGroups;
    expect(group.map((g) => g.node.id)).toEqual(['Products2']);
    const nested = resources(Template.fromStack(group[0]!));
    for (const id of ['D001P21BucketB7FADF60', 'D001P21TableP21694DBB08', 'QualityScheduleD001P216D54DA0E', 'QualityErrorChecksD001P2121F4DC98', 'QualityDashboardD001P21Dashboard4F27D1CE']) expect(nested[id], id).toBeDefined();
    expect(Object.keys(nested).filter((id) => id.startsWith('D001P20'))).toEqual([]);
    // Its own Lake Formation grants one after another: the state machine's read after the producer's write.
    const grants = Object.entries(nested).filter(([, r]) => r.Type === 'AWS::LakeFormation::PrincipalPermissions').map(([id]) => id);
    expect(grants).toEqual(['D001P21WriteP21tesseragrowd001Products2RoleGrantstesseragrowd001ProducerRoleF3DBE9FDD6E7109B2853B780', expect.stringMatching(/^D001P21ReadP21/)]);
    expect(nested[grants[1]!]!.DependsOn).toContain(grants[0]);
  });

  it('grants the quality state machine role the group’s partitions in a managed policy of the group, attached to the role', () => {
    const nested = Template.fromStack(twentyOne.domains.get('d001')!.productGroups[0]!);
    nested.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: 'referencetotesseragrowd001QualityStateMachineRole80C9E6BARef' }],
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          {
            Sid: 'ReadPartitions',
            Action: 'glue:BatchGetPartition',
            Effect: 'Allow',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':glue:eu-west-1:200000000000:table/', { Ref: 'referencetotesseragrowd001Database5FCA37EDRef' }, '/', { Ref: 'D001P21TableP21694DBB08' }]] },
          },
        ]),
      }),
    });
  });

  it('deploys the group after the domain stack’s last Lake Formation grant', () => {
    const stack = after['Products2NestedStackProducts2NestedStackResource668F5F90']!;
    expect(stack.Type).toBe('AWS::CloudFormation::Stack');
    expect(stack.DependsOn).toContain('Grantgrant200000000000shared001tagclassification');
  });
});

describe('a domain of 50 products', () => {
  it('makes groups 20/20/10, each group after the one before, no stack near 500 resources', async () => {
    const stacks = build(await domainOf(50));
    const domain = stacks.domains.get('d001')!;
    const groups = domain.productGroups;
    expect(groups.map((g) => g.node.id)).toEqual(['Products2', 'Products3']);
    // One contract deployment per product.
    const buckets = (r: Resources) => Object.values(r).filter((x) => x.Type === 'Custom::CDKBucketDeployment').length;
    const parent = resources(Template.fromStack(domain));
    const nested = groups.map((g) => resources(Template.fromStack(g)));
    expect([parent, ...nested].map(buckets)).toEqual([20, 20, 10]);
    const three = parent[Object.keys(parent).find((id) => id.startsWith('Products3NestedStack'))!]!;
    expect(three.DependsOn).toContain(Object.keys(parent).find((id) => id.startsWith('Products2NestedStack')));
    for (const r of [parent, ...nested]) expect(Object.keys(r).length).toBeLessThan(450);
  });
});

describe('productsPerStack', () => {
  it('is taken from the domain in the mesh config before the mesh app’s option', async () => {
    const mesh = (await loadMeshFile(await writeScaleMesh(join(dir, 'own'), 1, 21, 'own', 10))).mesh!;
    expect(mesh.config.domains[0]!.productsPerStack).toBe(10);
    const domain = build(mesh, 15).domains.get('d001')!;
    expect(domain.productGroups.map((g) => [g.node.id, g.node.findAll().filter((c) => c instanceof DataProduct).length])).toEqual([['Products2', 10], ['Products3', 1]]);
    expect(build(await domainOf(21), 15).domains.get('d001')!.productGroups.map((g) => g.node.findAll().filter((c) => c instanceof DataProduct).length)).toEqual([6]);
  });

  it('refuses a domain setting below 1 in the mesh config', async () => {
    const result = await loadMeshFile(await writeScaleMesh(join(dir, 'zero'), 1, 1, 'zero').then((file) => {
      writeFileSync(file, readFileSync(file, 'utf8').replace('    owner: shipping-data-team\n', '    owner: shipping-data-team\n    productsPerStack: 0\n'));
      return file;
    }));
    expect(result.mesh).toBeUndefined();
    expect(result.diagnostics.map((d) => d.message).join('\n')).toContain('productsPerStack is at least 1');
  });
});
