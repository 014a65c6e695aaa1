import { type Faults, FaultsFileError, readFaultsFile } from '../local/faults';
import { parseVerbArgs, UsageError, type Verb } from './usage';

const usage = [
  'Usage: bedrock-batch emulate [--s3-port <n>] [--bedrock-port <n>] [--faults <file>]',
  '',
  'Serves the embedded S3 and the Bedrock batch emulator on 127.0.0.1 in the foreground, for any',
  'AWS client (AWS CLI, boto3, the JS SDK). A port of 0 (the default) picks a free port. Buckets are',
  'created by the clients; any well-formed role ARN is accepted. Prints the endpoints, then "ready";',
  'stops on Ctrl-C (SIGINT) or SIGTERM. --faults <file> injects Bedrock faults (see docs/emulator.md).',
].join('\n');

function port(value: string | undefined, name: string): number {
  if (value === undefined) return 0;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed > 65_535)
    throw new UsageError(`--${name} must be a port from 0 to 65535`);
  return parsed;
}

async function faultsFrom(path: string | undefined): Promise<Faults | undefined> {
  if (path === undefined) return undefined;
  try {
    return await readFaultsFile(path);
  } catch (error) {
    if (error instanceof FaultsFileError) throw new UsageError(error.message);
    throw error;
  }
}

function banner(
  s3: string,
  bedrock: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
): string {
  return [
    `S3 endpoint:      ${s3}`,
    `Bedrock endpoint: ${bedrock} (control plane and runtime)`,
    '',
    'Point AWS clients at them (S3 needs path-style addressing; any credentials work):',
    `  export AWS_ENDPOINT_URL_S3=${s3}`,
    `  export AWS_ENDPOINT_URL_BEDROCK=${bedrock}`,
    `  export AWS_ENDPOINT_URL_BEDROCK_RUNTIME=${bedrock}`,
    `  export AWS_ACCESS_KEY_ID=${credentials.accessKeyId}`,
    `  export AWS_SECRET_ACCESS_KEY=${credentials.secretAccessKey}`,
    '  export AWS_REGION=us-east-1',
    '  export AWS_REQUEST_CHECKSUM_CALCULATION=WHEN_REQUIRED',
    '  export AWS_RESPONSE_CHECKSUM_VALIDATION=WHEN_REQUIRED',
    '',
    'ready',
    '',
  ].join('\n');
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/** `bedrock-batch emulate`: the embedded S3 and the Bedrock emulator, in the foreground. */
export const emulateVerb: Verb = {
  summary: 'serve the embedded S3 and the Bedrock emulator',
  usage,
  async run(args) {
    const { values } = parseVerbArgs(
      args,
      { 's3-port': { type: 'string' }, 'bedrock-port': { type: 'string' }, faults: { type: 'string' } },
      0,
    );
    const s3Port = port(values['s3-port'], 's3-port');
    const bedrockPort = port(values['bedrock-port'], 'bedrock-port');
    const faults = await faultsFrom(values.faults);
    // Loaded here, not at the top: `emulate --help` and usage errors need neither server.
    const [{ S3RVER_CREDENTIALS, startS3Server }, { startBedrockEmulator }] = await Promise.all([
      import('../local/s3-server'),
      import('../local/bedrock/index'),
    ]);
    const signal = untilSignal();
    let s3: Awaited<ReturnType<typeof startS3Server>> | undefined;
    let bedrock: Awaited<ReturnType<typeof startBedrockEmulator>> | undefined;
    try {
      s3 = await startS3Server({ port: s3Port });
      bedrock = await startBedrockEmulator({
        s3: s3.client(),
        port: bedrockPort,
        ...(faults === undefined ? {} : { faults }),
      });
      process.stdout.write(banner(s3.endpoint, bedrock.endpoint, S3RVER_CREDENTIALS));
      const received = await signal;
      process.stdout.write(`${received}: stopping\n`);
      return 0;
    } catch (error) {
      process.stderr.write(`bedrock-batch emulate: ${(error as Error).message}\n`);
      return 1;
    } finally {
      await bedrock?.close();
      await s3?.close();
    }
  },
};
