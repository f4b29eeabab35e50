import { describe, expect, it } from 'vitest';
import { foldAnswer, type AnswerState } from './answer';
import { loadFixtures, type ExpectedAnswer } from './fixtures.test-helper';
import { createSseDecoder, createSseParser, type SseMessage } from './sse';

const fixtures = loadFixtures();

function parseChunks(chunks: Iterable<Uint8Array>): SseMessage[] {
  const messages: SseMessage[] = [];
  const parser = createSseDecoder((message) => messages.push(message));
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return messages;
}

function parseText(chunks: readonly string[]): SseMessage[] {
  const messages: SseMessage[] = [];
  const parser = createSseParser((message) => messages.push(message));
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return messages;
}

function asExpected(state: AnswerState): ExpectedAnswer {
  return {
    text: state.text,
    model: state.model,
    finish_reason: state.finishReason,
    usage: state.usage,
    error: state.error === null ? null : { type: state.error.type, status: state.error.status },
  };
}

describe('SSE fixtures (tests/fixtures/sse)', () => {
  it('finds the shared fixtures', () => {
    expect(fixtures.map((fixture) => fixture.name)).toEqual(
      expect.arrayContaining(['complete', 'content_filter', 'interrupted', 'truncated']),
    );
  });

  describe.each(fixtures)('$name', ({ bytes, expected }) => {
    const whole = parseChunks([bytes]);

    it('gives the expected answer when the body arrives in one piece', () => {
      expect(asExpected(foldAnswer(whole))).toEqual(expected);
    });

    it('gives the same events when split in two at every byte position', () => {
      for (let at = 0; at <= bytes.length; at += 1) {
        const messages = parseChunks([bytes.subarray(0, at), bytes.subarray(at)]);
        expect(messages, `split at byte ${at}`).toEqual(whole);
      }
    });

    it('gives the same events when split in three at every pair of positions', () => {
      for (let a = 0; a <= bytes.length; a += 7) {
        for (let b = a; b <= bytes.length; b += 1) {
          const messages = parseChunks([bytes.subarray(0, a), bytes.subarray(a, b), bytes.subarray(b)]);
          expect(messages).toEqual(whole);
        }
      }
    });

    it('gives the same events one byte at a time', () => {
      const chunks = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
      expect(parseChunks(chunks)).toEqual(whole);
      expect(asExpected(foldAnswer(parseChunks(chunks)))).toEqual(expected);
    });
  });
});

describe('createSseParser', () => {
  it('accepts LF, CRLF and lone CR line ends, also split between CR and LF', () => {
    const lf = parseText(['event: a\ndata: 1\n\n']);
    expect(parseText(['event: a\r\ndata: 1\r\n\r\n'])).toEqual(lf);
    expect(parseText(['event: a\rdata: 1\r\r'])).toEqual(lf);
    expect(parseText(['event: a\r', '\ndata: 1\r', '\n\r', '\n'])).toEqual(lf);
    expect(lf).toEqual([{ event: 'a', data: '1', id: '' }]);
  });

  it('does not turn CR then LF in separate chunks into two line ends', () => {
    // If it did, the blank line would dispatch an event with only `data: 1`.
    expect(parseText(['data: 1\r', '\ndata: 2\r\n\r\n'])).toEqual([{ event: 'message', data: '1\n2', id: '' }]);
  });

  it('ignores comments, unknown fields and retry; joins data lines', () => {
    const messages = parseText([': hello\nretry: 10\nfoo: bar\nevent: x\ndata: a\ndata:b\ndata\n\n']);
    expect(messages).toEqual([{ event: 'x', data: 'a\nb\n', id: '' }]);
  });

  it('does not dispatch an event without data, and resets the event name after a blank line', () => {
    expect(parseText(['event: lonely\n\ndata: x\n\n'])).toEqual([{ event: 'message', data: 'x', id: '' }]);
  });

  it('keeps only one leading space of a value', () => {
    expect(parseText(['data:  two spaces\n\n'])).toEqual([{ event: 'message', data: ' two spaces', id: '' }]);
  });

  it('strips a byte order mark and tracks the last event id', () => {
    expect(parseText(['\uFEFFid: 7\ndata: x\n\ndata: y\n\n'])).toEqual([
      { event: 'message', data: 'x', id: '7' },
      { event: 'message', data: 'y', id: '7' },
    ]);
  });

  it('drops an event the stream did not finish', () => {
    expect(parseText(['data: complete\n\ndata: cut'])).toEqual([{ event: 'message', data: 'complete', id: '' }]);
    expect(parseText(['data: no blank line\n'])).toEqual([]);
  });

  it('refuses input after end()', () => {
    const parser = createSseParser(() => undefined);
    parser.end();
    expect(() => parser.push('data: x\n\n')).toThrow();
  });

  it('handles a large body arriving whole in linear time', () => {
    const body = 'event: delta\ndata: {"text":"x"}\n\n'.repeat(50_000);
    const started = performance.now();
    expect(parseText([body])).toHaveLength(50_000);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('createSseDecoder', () => {
  it('decodes a multi-byte character split across chunks', () => {
    const bytes = new TextEncoder().encode('data: Zoë 😀\n\n');
    for (let at = 0; at <= bytes.length; at += 1) {
      expect(parseChunks([bytes.subarray(0, at), bytes.subarray(at)])).toEqual([
        { event: 'message', data: 'Zoë 😀', id: '' },
      ]);
    }
  });
});
