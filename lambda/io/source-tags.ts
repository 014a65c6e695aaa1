/** Tags the analyst's input object with a run's outcome, best effort: tagging never fails a run. */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SourceObject } from '../core/contract/types';
import { addObjectTags } from './s3';

/**
 * Adds `tags` to the input object's version, keeping its own tags. A failure is logged as a warning
 * ending with `anyway` (what still happens, e.g. "the results are published") and never thrown.
 */
export async function tagSource(
  s3: S3Client,
  source: SourceObject,
  tags: Record<string, string>,
  logger: Logger,
  anyway: string,
): Promise<void> {
  try {
    if ((await addObjectTags(s3, source, tags)) === 'no-room') {
      logger.warn('Input object not tagged: it already has too many tags of its own');
    }
  } catch (error) {
    logger.warn(`Could not tag the input object; ${anyway}`, { error: (error as Error)?.name });
  }
}
