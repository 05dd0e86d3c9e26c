/** The web catalog as the mesh config asks for it: `governance.catalogSite` in mesh.yaml. */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { buildMeshApp } from '../../../constructs/mesh-app.js';
import { formatDiagnostic } from '../../../lib/diagnostics.js';
import { loadMeshFile } from '../../../lib/mesh/load.js';
import { cdkContext, root } from './helpers.js';

const scratch = mkdtempSync(join(tmpdir(), 'tessera-site-mesh-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the example mesh whose governance section ends with `lines`. */
function meshWith(name: string, lines: string): string {
  const dir = join(scratch, name);
  cpSync(join(root, 'mesh'), dir, { recursive: true, filter: (src) => !src.includes('generator') });
  const file = join(dir, 'mesh.yaml');
  const text = readFileSync(file, 'utf8');
  const at = text.indexOf('\n', text.indexOf('  account:', text.indexOf('governance:')));
  writeFileSync(file, `${text.slice(0, at + 1)}${lines}${text.slice(at + 1)}`);
  return file;
}

describe('governance.catalogSite in mesh.yaml', () => {
  it('puts the web catalog in the governance stack, federated with the SAML provider it names', async () => {
    const file = meshWith('site', '  catalogSite:\n    samlMetadataUrl: https://portal.sso.eu-west-1.amazonaws.com/saml/metadata/xyz\n    signInDomainPrefix: ecommerce-data\n');
    const result = await loadMeshFile(file);
    expect(result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
    const assets = join(scratch, 'web');
    mkdirSync(assets, { recursive: true });
    writeFileSync(join(assets, 'index.html'), '<!doctype html><title>catalog</title>');
    const app = new App({ context: cdkContext({ 'aws:cdk:bundling-stacks': [] }) });
    const { governance } = buildMeshApp(app, result.mesh!, { complianceChecks: false, siteAssets: assets });
    const template = Template.fromStack(governance);
    template.resourceCountIs('AWS::CloudFront::Distribution', 1);
    template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', { ProviderType: 'SAML', ProviderDetails: { MetadataURL: 'https://portal.sso.eu-west-1.amazonaws.com/saml/metadata/xyz' } });
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'ecommerce-data' });
    expect(Object.keys(template.findOutputs('CatalogSiteUrl'))).toEqual(['CatalogSiteUrl']);
  });

  it('deploys no site when the mesh config does not ask for one', async () => {
    const { mesh } = await loadMeshFile(join(root, 'mesh', 'mesh.yaml'));
    const app = new App({ context: cdkContext({ 'aws:cdk:bundling-stacks': [] }) });
    const { governance } = buildMeshApp(app, mesh!, { complianceChecks: false });
    Template.fromStack(governance).resourceCountIs('AWS::CloudFront::Distribution', 0);
  });

  it.each([
    ['a plain-http metadata URL', '    samlMetadataUrl: http://idp.example.com/metadata\n    signInDomainPrefix: ecommerce-data\n', 'samlMetadataUrl must be an https URL'],
    ['an upper-case prefix', '    samlMetadataUrl: https://idp.example.com/metadata\n    signInDomainPrefix: Ecommerce\n', 'signInDomainPrefix is lower-case letters, digits and hyphens'],
    ['a reserved word in the prefix', '    samlMetadataUrl: https://idp.example.com/metadata\n    signInDomainPrefix: my-cognito-site\n', 'may not contain aws, amazon or cognito'],
  ])('refuses %s, naming the field and its line', async (_case, lines, message) => {
    const file = meshWith(`bad-${lines.length}-${message.length}`, `  catalogSite:\n${lines}`);
    const result = await loadMeshFile(file);
    expect(result.mesh).toBeUndefined();
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.message).join('\n')).toContain(message);
    expect(errors.every((d) => d.file.endsWith('mesh.yaml') && (d.position?.line ?? 0) > 1)).toBe(true);
  });
});
