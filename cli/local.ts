import type { Verb } from './usage';

/** Placeholder until the `local` verb lands. */
export const localVerb: Verb = {
  summary: 'local',
  usage: 'Usage: bedrock-batch local (not implemented yet)',
  async run() {
    process.stderr.write('bedrock-batch local: not implemented yet\n');
    return 1;
  },
};
