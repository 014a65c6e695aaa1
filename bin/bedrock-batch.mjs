#!/usr/bin/env node
// The `bedrock-batch` command: runs the TypeScript CLI through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

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
register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
