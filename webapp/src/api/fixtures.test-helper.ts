/** Reads the recorded answer streams shared with the API's tests (tests/fixtures/sse/). */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's tests/fixtures/sse/, found from this file (webapp/src/api/). */
export const FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'tests', 'fixtures', 'sse') + '/';

export interface ExpectedAnswer {
  text: string;
  model: string | null;
  finish_reason: string | null;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
  error: { type: string; status: number | null } | null;
}

export interface Fixture {
  name: string;
  bytes: Uint8Array<ArrayBuffer>;
  expected: ExpectedAnswer;
}

export function loadFixtures(): Fixture[] {
  return readdirSync(FIXTURE_DIR)
    .filter((file) => file.endsWith('.sse'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -'.sse'.length);
      return {
        name,
        bytes: new Uint8Array(readFileSync(FIXTURE_DIR + file)),
        expected: JSON.parse(readFileSync(`${FIXTURE_DIR}${name}.expected.json`, 'utf8')) as ExpectedAnswer,
      };
    });
}
