/**
 * Header names in error messages (lambda/core/pipeline/column-names.ts): a file without a header row has its
 * first row read as the header, and the messages reach the execution history and the notifications, so row
 * text is never quoted (test-matrix rows 13 and 45); names nearly the pipeline's own are.
 */
import { describe, expect, it } from 'vitest';
import {
  missingColumnsMessage,
  repeatedColumnsMessage,
  showColumn,
} from '../../../lambda/core/pipeline/column-names';

const MARKER = 'zq7-PLANTED-CELL-TEXT-4f1c';
const needs = 'The prompt template needs column(s) "Context", "Response"';

describe('missingColumnsMessage', () => {
  it('counts the header and quotes none of it when no name is near a wanted one', () => {
    const message = missingColumnsMessage(needs, ['Context', 'Response'], [`I feel ${MARKER}`, 'patient 42']);
    expect(message).toBe(
      `${needs}, which the file's header (2 columns) does not have. Check that the file's first line names ` +
        'its columns, spelled as in the pipeline.',
    );
    expect(missingColumnsMessage(needs, ['Context'], ['x'])).toContain('(1 column)');
  });

  it('names a header column that differs only in case, spacing or a letter or two, by position', () => {
    expect(missingColumnsMessage(needs, ['Context'], ['id', 'context '])).toContain(
      'Column 2 is named "context ": names must match the pipeline\'s exactly, "Context" here.',
    );
    expect(missingColumnsMessage(needs, ['user_question'], ['User Question'])).toContain(
      'Column 1 is named "User Question"',
    );
    expect(missingColumnsMessage(needs, ['Response'], ['Resonse', 'b'])).toContain(
      'Column 1 is named "Resonse"',
    );
  });

  it('does not take a longer or different text for a typo', () => {
    for (const header of [['Response text'], ['Respond to this'], ['Rsp'], [`Response ${MARKER}`]]) {
      expect(missingColumnsMessage(needs, ['Response'], header)).not.toContain('is named');
    }
    // Short names get no typo allowance: "id" is not "ids" or "xd".
    expect(missingColumnsMessage(needs, ['id'], ['xd', 'ids'])).not.toContain('is named');
  });

  it('shows an invisible character that makes a name look right (a second byte-order mark)', () => {
    expect(missingColumnsMessage(needs, ['Context'], ['\ufeffContext', 'Response'])).toContain(
      'The header\'s column "<U+FEFF>Context" looks like "Context" but holds the invisible character U+FEFF ' +
        '(the file starts with a second byte-order mark): remove it and upload again.',
    );
    expect(showColumn('a\u200bb')).toBe('"a<U+200B>b"');
  });
});

describe('repeatedColumnsMessage', () => {
  it('gives the repeated names by position only', () => {
    const message = repeatedColumnsMessage([MARKER, 'b', MARKER, '', 'c', 'c', '', 'c']);
    expect(message).toBe(
      'The header repeats column names: columns 1 and 3; columns 5, 6 and 8 have the same name, and each ' +
        "column needs a unique one. Check that the file's first line names its columns.",
    );
    expect(message).not.toContain(MARKER);
  });
});
