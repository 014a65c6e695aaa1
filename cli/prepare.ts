import type { Verb } from './usage';

/** Placeholder until the `prepare` verb lands. */
export const prepareVerb: Verb = {
  summary: 'prepare',
  usage: 'Usage: bedrock-batch prepare (not implemented yet)',
  async run() {
    process.stderr.write('bedrock-batch prepare: not implemented yet\n');
    return 1;
  },
};
