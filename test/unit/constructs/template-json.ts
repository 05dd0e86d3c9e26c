/**
 * Reading JSON that CloudFormation will assemble at deploy time: CDK renders a JSON string holding
 * tokens as `Fn::Join`. `joinedJson` joins the parts, writes each intrinsic as a readable marker
 * (`${Ref:Id}`, `${Id.Attr}`, `${AWS::Region}`) and parses the result.
 */
export function joinedJson(value: unknown): unknown {
  return JSON.parse(joined(value));
}

export function joined(value: unknown): string {
  if (typeof value === 'string') return value;
  const intrinsic = value as Record<string, unknown>;
  if ('Fn::Join' in intrinsic) {
    const [separator, parts] = intrinsic['Fn::Join'] as [string, unknown[]];
    return parts.map(joined).join(separator);
  }
  if ('Ref' in intrinsic) return `\${${String(intrinsic.Ref).startsWith('AWS::') ? '' : 'Ref:'}${String(intrinsic.Ref)}}`;
  if ('Fn::GetAtt' in intrinsic) return `\${${(intrinsic['Fn::GetAtt'] as string[]).join('.')}}`;
  throw new Error(`joined: cannot render ${JSON.stringify(value)}`);
}

export interface TemplateResource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
  readonly DependsOn?: string[];
}

/** A synthesized template's resources by logical id, typed loosely enough to read. */
export function resourcesOf(template: { toJSON(): Record<string, unknown> }): Record<string, TemplateResource> {
  return template.toJSON().Resources as Record<string, TemplateResource>;
}
