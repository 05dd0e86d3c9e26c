/** Reads the deployed contract of a product from its bucket and loads it with the core. */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { loadContract } from '../../lib/contract/load.js';
import type { DataContract } from '../../lib/contract/model.js';
import { formatDiagnostic } from '../../lib/diagnostics.js';

export async function readDeployedContract(s3: S3Client, bucket: string, key: string): Promise<DataContract> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const text = await object.Body!.transformToString('utf-8');
  // The deployed contract passed the product rules at synth time; the standard alone is enough
  // here, so a stricter Tessera release never stops checks on data already in production.
  const result = loadContract(text, `s3://${bucket}/${key}`, { profile: 'odcs' });
  if (!result.contract) throw new Error(`the deployed contract s3://${bucket}/${key} does not load: ${result.diagnostics.map(formatDiagnostic).join('; ')}`);
  return result.contract;
}
