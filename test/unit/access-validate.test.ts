import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accessProduct as product } from '../support/access.js';
import {
  ACCESS_RULES,
  buildAccessModel,
  buildGrantPlan,
  validateAccess,
  type AccessConfig,
  type AccessModel,
  type AccessProduct,
  type GrantPlan,
  type PermissionStep,
  type PlanStep,
} from '../../lib/access/index.js';
import type { Diagnostic } from '../../lib/diagnostics.js';
import { loadMeshFile } from '../../lib/mesh/load.js';
import { YamlSource } from '../../lib/yaml-source.js';

const BASE = `apiVersion: tessera/v1
kind: Mesh
name: test
region: eu-west-1
governance:
  account: "111111111111"
  admins: [arn:aws:iam::111111111111:role/Admin]
classifications: [public, internal, confidential, restricted]
domains:
  - name: sales
    account: "222222222222"
  - name: hr
    account: "333333333333"
consumers:
  - name: bi
    role: arn:aws:iam::111111111111:role/Bi
    grants:
      - domains: [sales]
        classifications: [public, internal]
`;

const PRODUCTS: AccessProduct[] = [
  product('sales', 'deals', { deals: { deal_id: 'internal', amount: 'confidential' } }),
  product('hr', 'people', { people: { person_id: 'internal', salary: 'restricted' } }),
];


interface Case {
  text: string;
  model: AccessModel;
  plan: GrantPlan;
  source: YamlSource;
}

/** The model of a mesh config text, parsed with positions but without the config schema (to reach the access rules). */
function meshCase(text: string, products = PRODUCTS): Case {
  const parsed = YamlSource.parse(text, 'mesh.yaml');
  expect(parsed.diagnostics).toEqual([]);
  const model = buildAccessModel({ config: parsed.data as AccessConfig, products });
  return { text, model, plan: buildGrantPlan(model), source: parsed.source };
}

function validate(c: Case, plan: GrantPlan = c.plan, model: AccessModel = c.model): Diagnostic[] {
  return validateAccess(model, plan, { source: c.source });
}

function edit(from: string, to: string, text = BASE): string {
  if (!text.includes(from)) throw new Error(`test setup: '${from}' is not in the text`);
  return text.replace(from, to);
}

/** 1-based line and column of the n-th occurrence of `needle`. */
function at(text: string, needle: string, occurrence = 1): { line: number; column: number } {
  let index = -1;
  for (let i = 0; i < occurrence; i++) index = text.indexOf(needle, index + 1);
  if (index < 0) throw new Error(`test setup: '${needle}' is not in the text`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

function only(findings: Diagnostic[], code: string): Diagnostic {
  const found = findings.filter((d) => d.code === code);
  expect(found, `findings: ${JSON.stringify(findings, null, 2)}`).toHaveLength(1);
  return found[0]!;
}

const withSteps = (plan: GrantPlan, ...steps: PlanStep[]): GrantPlan => ({ steps: [...plan.steps, ...steps] });

function handMade(overrides: Partial<PermissionStep> & Pick<PermissionStep, 'resource' | 'permissions'>): PermissionStep {
  return {
    id: 'grant@111111111111/hand-made',
    kind: 'permission',
    account: '111111111111',
    dependsOn: [],
    principal: 'arn:aws:iam::111111111111:role/Bi',
    purpose: 'consumer',
    grantable: [],
    origin: ['consumers', 0, 'grants', 0],
    ...overrides,
  };
}

describe('validateAccess', () => {
  it('finds nothing in a correct mesh, nor in the example mesh', async () => {
    expect(validate(meshCase(BASE))).toEqual([]);
    const file = join(import.meta.dirname, '../../mesh/mesh.yaml');
    const { mesh } = await loadMeshFile(file);
    const model = buildAccessModel(mesh!);
    expect(validateAccess(model, buildGrantPlan(model), { source: YamlSource.parse(readFileSync(file, 'utf8'), file).source })).toEqual([]);
  });

  it('documents every rule it applies with its source', () => {
    const codes = ACCESS_RULES.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const rule of ACCESS_RULES) expect(rule.source.length).toBeGreaterThan(10);
  });

  describe('tags', () => {
    it('refuses a domain the mesh does not declare, at its line', () => {
      const c = meshCase(edit('domains: [sales]', 'domains: [sales, billing]'));
      const d = only(validate(c), 'unknown-tag-value');
      expect(d).toMatchObject({ severity: 'error', file: 'mesh.yaml', path: 'consumers[0].grants[0].domains[1]', position: at(c.text, 'billing') });
      expect(d.message).toContain("names domain 'billing', which is not a value of the LF-tag 'domain'");
      expect(d.fix).toBe('use one of: sales, hr, or * for all');
    });

    it('refuses a classification outside the ontology, at its line', () => {
      const c = meshCase(edit('classifications: [public, internal]\n', 'classifications: [public, secret]\n'));
      const d = only(validate(c), 'unknown-tag-value');
      expect(d).toMatchObject({ path: 'consumers[0].grants[0].classifications[1]', position: at(c.text, 'secret') });
      expect(d.fix).toBe('use one of: public, internal, confidential, restricted');
    });

    it('refuses a grant plan step on a tag key or value its catalog does not define', () => {
      const c = meshCase(BASE);
      const findings = validate(
        c,
        withSteps(
          c.plan,
          handMade({
            resource: { type: 'lf-tag-policy', catalog: '222222222222', resourceType: 'TABLE', expression: [{ key: 'region', values: ['eu'] }, { key: 'domain', values: ['hr'] }] },
            permissions: ['SELECT'],
          }),
        ),
      );
      const key = only(findings, 'unknown-tag-key');
      expect(key.message).toContain("uses LF-tag 'region', which catalog 222222222222 does not define");
      expect(key.position).toEqual(at(c.text, 'domains: [sales]'));
      // The sales account defines domain=sales only: hr is not a value there.
      expect(only(findings, 'unknown-tag-value').message).toContain("uses 'hr' for LF-tag 'domain', which catalog 222222222222 does not define");
    });

    const manyDomains = (n: number): string => Array.from({ length: n }, (_, i) => `  - name: d${i}\n    account: "${String(200000000000 + i)}"\n`).join('');
    const withDomains = (n: number) => meshCase(edit('  - name: sales\n    account: "222222222222"\n  - name: hr\n    account: "333333333333"\n', manyDomains(n)).replace('domains: [sales]', 'domains: [d0]'), []);

    it('takes an LF-tag of more than 50 values (created in batches of 50): a mesh of 51 domains', () => {
      expect(validate(withDomains(51)).filter((d) => d.code === 'tag-values-limit')).toEqual([]);
    });

    it('refuses an LF-tag of more than 1000 values, the quota of a tag', () => {
      const c = withDomains(1001);
      const d = only(validate(c), 'tag-values-limit');
      expect(d.message).toBe(`LF-tag 'domain' in account 111111111111 has 1001 values; Lake Formation holds at most 1000 values per tag (a soft quota: "AWS Lake Formation endpoints and quotas")`);
      expect(d.position?.line).toBe(at(c.text, '  - name: d0').line);
    }, 120_000);

    it('refuses a tag association that gives one key two values', () => {
      const c = meshCase(BASE);
      const d = only(
        validate(
          c,
          withSteps(c.plan, {
            id: 'assoc@hand-made',
            kind: 'tag-association',
            account: '222222222222',
            dependsOn: [],
            resource: { type: 'table', catalog: '222222222222', database: 'sales', table: 'deals' },
            tags: [{ key: 'classification', values: ['public', 'internal'] }],
            origin: ['domains', 0],
          }),
        ),
        'multiple-values-per-key',
      );
      expect(d.position).toEqual(at(c.text, 'name: sales'));
    });

    it('bounds LF-tag expressions to 1..5 conditions', () => {
      const c = meshCase(BASE);
      const six = Array.from({ length: 6 }, () => ({ key: 'domain', values: ['sales'] }));
      const d = only(validate(c, withSteps(c.plan, handMade({ resource: { type: 'lf-tag-policy', catalog: '222222222222', resourceType: 'TABLE', expression: six }, permissions: ['SELECT'] }))), 'tag-expression-size');
      expect(d.message).toContain('Lake Formation takes 1 to 5 conditions of 1 to 50 values each');
    });
  });

  describe('principals', () => {
    it('refuses a consumer that is an account id where a role was meant, at the role line', () => {
      const c = meshCase(edit('role: arn:aws:iam::111111111111:role/Bi', 'role: "444444444444"'));
      const d = only(validate(c), 'account-principal');
      expect(d).toMatchObject({ severity: 'error', path: 'consumers[0].role', position: at(c.text, '"444444444444"') });
      expect(d.message).toContain("consumer 'bi' is the whole account 444444444444, not a role");
      expect(d.fix).toBe('name the role that queries, e.g. arn:aws:iam::444444444444:role/<RoleName>');
    });

    it('refuses the account root ARN as well', () => {
      const c = meshCase(edit('role: arn:aws:iam::111111111111:role/Bi', 'role: arn:aws:iam::444444444444:root'));
      expect(only(validate(c), 'account-principal').position).toEqual(at(c.text, 'arn:aws:iam::444444444444:root'));
    });

    it('refuses a role that is no IAM ARN', () => {
      const c = meshCase(edit('role: arn:aws:iam::111111111111:role/Bi', 'role: TesseraAnalyst'));
      expect(only(validate(c), 'invalid-principal').position).toEqual(at(c.text, 'TesseraAnalyst'));
    });

    it('refuses a data lake administrator that is an account', () => {
      const c = meshCase(edit('admins: [arn:aws:iam::111111111111:role/Admin]', 'admins: ["111111111111"]'));
      const d = only(validate(c), 'invalid-admin');
      expect(d).toMatchObject({ path: 'governance.admins[0]', position: at(c.text, '"111111111111"]') });
    });

    it('warns when two consumers share a role', () => {
      const c = meshCase(`${BASE}  - name: bi2\n    role: arn:aws:iam::111111111111:role/Bi\n    grants:\n      - domains: [hr]\n        classifications: [public]\n`);
      const d = only(validate(c), 'shared-principal');
      expect(d).toMatchObject({ severity: 'warning', path: 'consumers[1].role', position: at(c.text, 'arn:aws:iam::111111111111:role/Bi', 2) });
      expect(d.message).toBe("consumers 'bi' and 'bi2' use the same role arn:aws:iam::111111111111:role/Bi; Lake Formation grants to the role, so both get the access of both");
    });
  });

  describe('permissions Lake Formation rejects', () => {
    const c = meshCase(BASE);
    const cases: [string, PermissionStep, string][] = [
      ['SELECT on an LF-tag', handMade({ resource: { type: 'lf-tag', catalog: '111111111111', key: 'domain', values: ['sales'] }, permissions: ['SELECT'] }), 'grants SELECT on LF-tag \'domain\''],
      ['INSERT on databases by tag', handMade({ resource: { type: 'lf-tag-policy', catalog: '222222222222', resourceType: 'DATABASE', expression: [{ key: 'domain', values: ['sales'] }] }, permissions: ['DESCRIBE', 'INSERT'] }), 'grants INSERT on databases matching domain in (sales)'],
      ['CREATE_TABLE on tables by tag', handMade({ resource: { type: 'lf-tag-policy', catalog: '222222222222', resourceType: 'TABLE', expression: [{ key: 'domain', values: ['sales'] }] }, permissions: ['CREATE_TABLE'] }), 'grants CREATE_TABLE on tables matching'],
      ['DESCRIBE on columns', handMade({ resource: { type: 'columns', catalog: '222222222222', database: 'sales', table: 'deals', columns: ['amount'] }, permissions: ['DESCRIBE'] }), 'where Lake Formation accepts only SELECT'],
      ['ASSOCIATE on a table', handMade({ resource: { type: 'table', catalog: '222222222222', database: 'sales', table: 'deals' }, permissions: ['ASSOCIATE'] }), 'grants ASSOCIATE on table sales.deals'],
    ];
    it.each(cases)('refuses %s, at the grant it comes from', (_, step, message) => {
      const d = only(validate(c, withSteps(c.plan, step)), 'invalid-permission');
      expect(d.message).toContain(message);
      expect(d.position).toEqual(at(c.text, 'domains: [sales]'));
      expect(d.path).toBe('consumers[0].grants[0]');
    });

    it('refuses a grant option on a permission that is not granted', () => {
      const step = handMade({ resource: { type: 'lf-tag-policy', catalog: '222222222222', resourceType: 'TABLE', expression: [{ key: 'domain', values: ['sales'] }] }, permissions: ['DESCRIBE'], grantable: ['SELECT', 'DESCRIBE'] });
      expect(only(validate(c, withSteps(c.plan, step)), 'grant-option-not-subset').message).toBe('step grant@111111111111/hand-made makes SELECT grantable without granting it');
    });

    it('refuses LF-tag permissions other than DESCRIBE and ASSOCIATE for another account, and requires the grant option', () => {
      const step = handMade({ purpose: 'share', principal: '999999999999', resource: { type: 'lf-tag', catalog: '222222222222', key: 'domain', values: ['sales'] }, permissions: ['DESCRIBE', 'ALTER'] });
      const findings = validate(c, withSteps(c.plan, step));
      expect(only(findings, 'cross-account-tag-permission').message).toContain('grants ALTER on LF-tag \'domain\' to account 999999999999');
      expect(only(findings, 'cross-account-tag-grant-option').message).toContain('grants DESCRIBE, ALTER on LF-tag \'domain\' to account 999999999999 without the grant option');
    });

    it('warns about ASSOCIATE and DESCRIBE in one CloudFormation resource', () => {
      const step = handMade({ principal: 'arn:aws:iam::222222222222:role/Tagger', purpose: 'share', resource: { type: 'lf-tag', catalog: '222222222222', key: 'domain', values: ['sales'] }, permissions: ['ASSOCIATE', 'DESCRIBE'] });
      expect(only(validate(c, withSteps(c.plan, step)), 'associate-describe-together').severity).toBe('warning');
    });

    it('refuses a consumer permission step that grants to an account', () => {
      const step = handMade({ principal: '999999999999', principalOrigin: ['consumers', 0, 'role'], resource: { type: 'lf-tag-policy', catalog: '222222222222', resourceType: 'TABLE', expression: [{ key: 'domain', values: ['sales'] }] }, permissions: ['SELECT'] });
      expect(only(validate(c, withSteps(c.plan, step)), 'account-principal').position).toEqual(at(c.text, 'arn:aws:iam::111111111111:role/Bi'));
    });
  });

  describe('cascading a share to consumers', () => {
    const c = meshCase(BASE);
    const without = (id: string): GrantPlan => ({ steps: c.plan.steps.filter((s) => s.id !== id) });

    it('refuses a consumer grant on data the domain did not share with the governance account', () => {
      const d = only(validate(c, without('grant@222222222222/share/sales/tables')), 'cannot-cascade');
      expect(d.message).toBe('step grant@111111111111/bi/sales/tables grants SELECT, DESCRIBE on tables matching domain in (sales) AND classification in (public, internal) in catalog 222222222222, which did not share that much with account 111111111111');
      expect(d.position).toEqual(at(c.text, 'domains: [sales]'));
    });

    it('refuses a narrower expression without DESCRIBE on its tag values (and without the identical grantable expression)', () => {
      const d = only(validate(c, without('grant@222222222222/share/sales/tag-classification')), 'cannot-cascade');
      expect(d.message).toContain('re-grants domain in (sales) AND classification in (public, internal) from catalog 222222222222, but account 111111111111 holds neither that exact expression with the grant option nor DESCRIBE on every tag value in it');
    });

    it('accepts the identical shared expression with the grant option, without any tag DESCRIBE', () => {
      const plan: GrantPlan = {
        steps: [
          ...without('grant@222222222222/share/sales/tag-classification').steps.filter((s) => s.id !== 'grant@222222222222/share/sales/tag-domain'),
          handMade({ id: 'grant@111111111111/same', resource: { type: 'lf-tag-policy', catalog: '222222222222', resourceType: 'TABLE', expression: [{ key: 'domain', values: ['sales'] }] }, permissions: ['SELECT'] }),
        ],
      };
      const findings = validate(c, plan).filter((f) => f.code === 'cannot-cascade');
      expect(findings.map((f) => f.message).some((m) => m.includes('grant@111111111111/same'))).toBe(false);
    });
  });

  describe('the most sensitive classification', () => {
    it('refuses it through domains ["*"], at the *, naming the columns it exposes', () => {
      const c = meshCase(edit('      - domains: [sales]\n        classifications: [public, internal]', '      - domains: ["*"]\n        classifications: [internal, restricted]'));
      const d = only(validate(c), 'restricted-wildcard');
      expect(d).toMatchObject({ severity: 'error', path: 'consumers[0].grants[0].domains[0]', position: at(c.text, '"*"') });
      expect(d.message).toBe("grant bi#1 gives 'restricted', the most sensitive classification, on every domain (*): it exposes people.people.salary");
    });

    it('refuses it through * even before any restricted column exists', () => {
      const c = meshCase(edit('      - domains: [sales]\n        classifications: [public, internal]', '      - domains: ["*"]\n        classifications: [restricted]'), [PRODUCTS[0]!]);
      expect(only(validate(c), 'restricted-wildcard').message).toContain("it would expose every 'restricted' column any domain adds later");
    });

    it('allows it when the grant names the value and the domain explicitly', () => {
      const c = meshCase(edit('      - domains: [sales]\n        classifications: [public, internal]', '      - domains: [hr]\n        classifications: [restricted]'));
      expect(validate(c)).toEqual([]);
    });

    it('follows the ontology: its last value is the most sensitive', () => {
      const c = meshCase(edit('classifications: [public, internal, confidential, restricted]', 'classifications: [public, internal, confidential, restricted, secret]').replace('domains: [sales]', 'domains: ["*"]').replace('classifications: [public, internal]\n', 'classifications: [restricted]\n'));
      expect(validate(c).filter((d) => d.code.startsWith('restricted'))).toEqual([]);
    });

    it('catches grants not written in mesh.yaml that reach it without naming it', () => {
      const c = meshCase(edit('      - domains: [sales]\n        classifications: [public, internal]', '      - domains: [hr]\n        classifications: [public]'));
      // A hand-made grant with no classification condition reaches every class of hr.
      const model: AccessModel = { ...c.model, grants: c.model.grants.map((g) => ({ ...g, tableExpression: g.tableExpression.filter((e) => e.key === 'domain') })) };
      const d = only(validate(c, c.plan, model), 'restricted-exposure');
      expect(d.message).toBe("consumer 'bi' can read 'restricted' columns without a grant that names both 'restricted' and their domain: people.people.salary");
      expect(d.position).toEqual(at(c.text, 'name: bi'));
    });
  });

  it('reports a plan out of order', () => {
    const c = meshCase(BASE);
    const d = only(validate(c, { steps: [...c.plan.steps].reverse() }), 'plan-order');
    expect(d.severity).toBe('error');
  });

  it('names the file and the path when no source is given', () => {
    const c = meshCase(edit('domains: [sales]', 'domains: [billing]'));
    const [d] = validateAccess(c.model, c.plan, { file: 'mesh/mesh.yaml' });
    expect(d).toMatchObject({ file: 'mesh/mesh.yaml', path: 'consumers[0].grants[0].domains[0]', code: 'unknown-tag-value' });
    expect(d!.position).toBeUndefined();
  });
});
