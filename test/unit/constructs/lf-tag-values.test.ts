/**
 * An LF-tag of more than 50 values: the AWS::LakeFormation::Tag takes the first 50 (one CreateLFTag
 * call), one Custom::TesseraLfTagValues the rest; a tag of 50 or fewer stays one plain resource.
 */
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import { LakeFormationSetup } from '../../../constructs/lake-formation.js';
import { testStack } from './helpers.js';

const CLASSES = ['public', 'internal', 'confidential', 'restricted'];
const names = (n: number): string[] => Array.from({ length: n }, (_, i) => `d${String(i).padStart(3, '0')}`);

function synth(domains: readonly string[]): Template {
  const stack = testStack({ 'aws:cdk:bundling-stacks': [] });
  new LakeFormationSetup(stack, 'LF', { mesh: 'big', key: new kms.Key(stack, 'Key'), domains, classifications: CLASSES });
  return Template.fromStack(stack);
}

function resourcesOf(template: Template, type: string): Record<string, { Properties: Record<string, unknown>; DependsOn?: string[] }> {
  return template.findResources(type) as Record<string, { Properties: Record<string, unknown>; DependsOn?: string[] }>;
}

describe('LF-tag values in batches', () => {
  it('keeps a tag of 50 values one AWS::LakeFormation::Tag, with no custom resource and no UpdateLFTag permission', () => {
    const t = synth(names(50));
    const tags = resourcesOf(t, 'AWS::LakeFormation::Tag');
    expect(Object.keys(tags).sort()).toEqual(['LFClassificationTag1CC74AF7', 'LFDomainTag34B39833'].sort());
    expect((tags.LFDomainTag34B39833!.Properties.TagValues as string[]).length).toBe(50);
    expect(t.findResources('Custom::TesseraLfTagValues')).toEqual({});
    expect(JSON.stringify(t.toJSON())).not.toContain('lakeformation:UpdateLFTag');
  });

  it('creates a 120-value tag as 50 in the tag and 70 in one custom resource that depends on it', () => {
    const values = names(120);
    const t = synth(values);
    const tag = resourcesOf(t, 'AWS::LakeFormation::Tag').LFDomainTag34B39833!;
    expect(tag.Properties.TagValues).toEqual(values.slice(0, 50));
    const extra = Object.entries(resourcesOf(t, 'Custom::TesseraLfTagValues'));
    expect(extra).toHaveLength(1);
    const [, resource] = extra[0]!;
    expect(resource.Properties.TagKey).toBe('domain');
    expect(resource.Properties.TagValues).toEqual(values.slice(50));
    expect((resource.Properties.TagValues as string[])[0]).toBe('d050');
    expect(resource.Properties.First).toEqual(values.slice(0, 50));
    expect(resource.DependsOn).toContain('LFDomainTag34B39833');
    const statements = Object.values(resourcesOf(t, 'AWS::IAM::Policy')).flatMap((p) => (p.Properties.PolicyDocument as { Statement: { Sid?: string }[] }).Statement);
    expect(statements.filter((s) => s.Sid === 'LakeFormationTagValues')).toEqual([{ Sid: 'LakeFormationTagValues', Action: ['lakeformation:GetLFTag', 'lakeformation:UpdateLFTag'], Effect: 'Allow', Resource: '*' }]);
  });

  it('refuses a tag of more than 1000 values, naming the tag', () => {
    expect(() => synth(names(1001))).toThrow("LakeFormationSetup: LF-tag 'domain' would have 1001 values; Lake Formation holds at most 1000 per tag");
  });
});
