import type { Verb } from './usage';

/** Placeholder until the `emulate` verb lands. */
export const emulateVerb: Verb = {
  summary: 'emulate',
  usage: 'Usage: bedrock-batch emulate (not implemented yet)',
  async run() {
    process.stderr.write('bedrock-batch emulate: not implemented yet\n');
    return 1;
  },
};
