/**
 * The service role check a job makes before it reads anything: ListBucket on the input prefix (a folder
 * or a manifest), GetObject on each file and PutObject on the output folder, evaluated against the
 * role's policy when the emulator was given one.
 */
import { type AccessPolicy, isAllowed } from './access';
import { type InputFile, JobFailure, parseS3Uri } from './input';
import type { Job } from './job';
import { outputFolder } from './output';

/** Throws the JobFailure Bedrock reports when the role lacks one of the permissions; no policy allows all. */
export function checkAccess(
  job: Job,
  policy: AccessPolicy | undefined,
  accountId: string,
  files: readonly InputFile[],
): void {
  if (policy === undefined) return;
  const deny = (action: string, where: string) =>
    new JobFailure(
      `Amazon Bedrock could not validate ${action} permissions on ${where} with the service role ${job.request.roleArn}. Check that the role can access the S3 location.`,
    );
  const base = { 'aws:ResourceAccount': accountId, 'aws:SecureTransport': 'true' };
  const inputUri = job.request.inputDataConfig.s3InputDataConfig.s3Uri;
  const input = parseS3Uri(inputUri);
  if (input.key === '' || input.key.endsWith('/') || files.some((file) => file.key !== input.key)) {
    const allowed = isAllowed(policy.statements, {
      action: 's3:ListBucket',
      resource: `arn:aws:s3:::${input.bucket}`,
      context: { ...base, 's3:prefix': input.key },
    });
    if (!allowed) throw deny('ListBucket', inputUri);
  }
  for (const file of files) {
    const resource = `arn:aws:s3:::${file.bucket}/${file.key}`;
    if (!isAllowed(policy.statements, { action: 's3:GetObject', resource, context: base })) {
      throw deny('GetObject', `s3://${file.bucket}/${file.key}`);
    }
  }
  const folder = outputFolder(job.request.outputDataConfig.s3OutputDataConfig.s3Uri, job.id);
  const resource = `arn:aws:s3:::${folder.bucket}/${folder.key}manifest.json.out`;
  if (!isAllowed(policy.statements, { action: 's3:PutObject', resource, context: base })) {
    throw deny('PutObject', job.request.outputDataConfig.s3OutputDataConfig.s3Uri);
  }
}
