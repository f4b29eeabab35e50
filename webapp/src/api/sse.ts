/**
 * An incremental parser for server-sent events
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation).
 *
 * It takes text in chunks split anywhere (mid-line, between CR and LF), accepts LF, CRLF and
 * CR line ends, ignores comment lines and the `retry` field, and dispatches each complete
 * event. An event that has not been ended by a blank line when the stream ends is dropped,
 * as the specification says. Bytes go through {@link createSseDecoder}, which decodes UTF-8
 * with a streaming TextDecoder so a multi-byte character split across chunks survives.
 *
 * The same code path handles a body that arrives in one piece (SWA managed functions
 * buffer the whole response) and one that arrives token by token.
 */

export interface SseMessage {
  /** The `event` field, `message` when absent. */
  readonly event: string;
  /** The `data` lines joined with `\n`. */
  readonly data: string;
  /** The last `id` seen so far in the stream, `''` when none. */
  readonly id: string;
}

export interface SseParser {
  push(chunk: string): void;
  /** The stream ended: drops an unfinished event. Pushing after this is an error. */
  end(): void;
}

export interface SseByteParser {
  push(chunk: Uint8Array): void;
  end(): void;
}

const LINE_END = /\r\n|\r|\n/g;

export function createSseParser(onEvent: (message: SseMessage) => void): SseParser {
  let buffer = '';
  let atStart = true;
  /** The last chunk ended with CR: a LF at the start of the next one belongs to it. */
  let skipLeadingLf = false;
  let ended = false;

  let eventType = '';
  let data = '';
  let hasData = false;
  let lastEventId = '';

  function dispatch(): void {
    if (hasData) {
      onEvent({ event: eventType === '' ? 'message' : eventType, data, id: lastEventId });
    }
    eventType = '';
    data = '';
    hasData = false;
  }

  function processLine(line: string): void {
    if (line === '') {
      dispatch();
      return;
    }
    if (line.charCodeAt(0) === 0x3a /* ':' comment */) return;
    const colon = line.indexOf(':');
    let field: string;
    let value: string;
    if (colon === -1) {
      field = line;
      value = '';
    } else {
      field = line.slice(0, colon);
      value = line.charCodeAt(colon + 1) === 0x20 ? line.slice(colon + 2) : line.slice(colon + 1);
    }
    switch (field) {
      case 'event':
        eventType = value;
        break;
      case 'data':
        data = hasData ? `${data}\n${value}` : value;
        hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) lastEventId = value;
        break;
      default:
        // `retry` and unknown fields: ignored.
        break;
    }
  }

  return {
    push(chunk: string): void {
      if (ended) throw new Error('SSE parser: push() after end()');
      if (chunk === '') return;
      if (skipLeadingLf) {
        skipLeadingLf = false;
        if (chunk.charCodeAt(0) === 0x0a) chunk = chunk.slice(1);
        if (chunk === '') return;
      }
      if (atStart) {
        atStart = false;
        if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      }
      const text = buffer === '' ? chunk : buffer + chunk;
      let lineStart = 0;
      LINE_END.lastIndex = 0;
      for (let match = LINE_END.exec(text); match !== null; match = LINE_END.exec(text)) {
        processLine(text.slice(lineStart, match.index));
        lineStart = LINE_END.lastIndex;
        if (match[0] === '\r' && lineStart === text.length) skipLeadingLf = true;
      }
      buffer = text.slice(lineStart);
    },
    end(): void {
      if (ended) return;
      ended = true;
      buffer = '';
      eventType = '';
      data = '';
      hasData = false;
    },
  };
}

/** {@link createSseParser} behind a streaming UTF-8 decoder, for `response.body` chunks. */
export function createSseDecoder(onEvent: (message: SseMessage) => void): SseByteParser {
  const decoder = new TextDecoder('utf-8');
  const parser = createSseParser(onEvent);
  return {
    push(chunk: Uint8Array): void {
      parser.push(decoder.decode(chunk, { stream: true }));
    },
    end(): void {
      parser.push(decoder.decode());
      parser.end();
    },
  };
}
