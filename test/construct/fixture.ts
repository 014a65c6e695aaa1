/**
 * One synthesized default stack shared by the construct tests of a file.
 */
import { synthesizeLocalDefinition } from '../../local/runner/asl';
import type { TemplateJson } from './resolve';

/** The default stack: template, ASL and handler → logical id. */
export function defaultStack() {
  const local = synthesizeLocalDefinition();
  return { ...local, json: local.template as unknown as TemplateJson };
}
