#!/usr/bin/env node
// The `bedrock-batch` command: runs the compiled CLI (dist/cli.js, built by `npm ci` or `npm run build`),
// with no TypeScript compiler loaded. Each verb loads only its own modules (cli/main.ts).

// The SDK versions are pinned in package-lock.json, so its notice about future releases needing Node 22
// is not something a CLI user can act on.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Last resort: an error no verb could catch (an 'error' event of a server, say) is one line, never a stack.
const last = (error) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`bedrock-batch: unexpected failure: ${message.split('\n')[0]}\n`);
  process.exit(1);
};
process.on('uncaughtException', last);
process.on('unhandledRejection', last);
let cli;
try {
  cli = await import('../dist/cli.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist')) throw error;
  process.stderr.write(
    'bedrock-batch: the compiled CLI (dist/) is missing: run `npm run build` (npm ci does)\n',
  );
  process.exit(1);
}
const { main } = cli;
process.exitCode = await main(process.argv.slice(2));
