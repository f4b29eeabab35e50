import { describe, expect, it } from 'vitest';
import { ApiError, parseRetryAfter, problemFromResponse, toProblem } from './problem';

describe('toProblem', () => {
  it('keeps the members of a problem+json body', () => {
    const problem = toProblem(
      {
        type: 'urn:chat-on-azure:problem:rate-limited',
        title: 'Too many requests',
        status: 429,
        detail: 'The model is busy. Try again in 20 seconds.',
        retry_after: 20,
        request_id: 'abc',
        unknown: true,
      },
      429,
    );
    expect(problem).toEqual({
      type: 'urn:chat-on-azure:problem:rate-limited',
      title: 'Too many requests',
      status: 429,
      detail: 'The model is busy. Try again in 20 seconds.',
      retryAfter: 20,
      requestId: 'abc',
      errors: [],
    });
  });

  it('keeps field errors of invalid-request', () => {
    const problem = toProblem(
      { type: 'urn:chat-on-azure:problem:invalid-request', errors: [{ field: 'messages[0].content', message: 'empty' }, 3] },
      400,
    );
    expect(problem.errors).toEqual([{ field: 'messages[0].content', message: 'empty' }]);
  });

  it('falls back to a plain sentence for a body without detail, or no body at all', () => {
    for (const status of [400, 401, 403, 404, 413, 429, 500, 502, 503, 504, 418]) {
      const problem = toProblem(null, status);
      expect(problem.status).toBe(status);
      expect(problem.detail).toMatch(/^[A-Z].*\.$/);
      expect(problem.type).toMatch(/^urn:chat-on-azure:problem:/);
    }
    expect(toProblem('<html>', 502).type).toBe('urn:chat-on-azure:problem:upstream-unavailable');
  });

  it('prefers the response status, uses the Retry-After header when the body has none', () => {
    expect(toProblem({ status: 500 }, 429, 7)).toMatchObject({ status: 429, retryAfter: 7 });
  });

  it('refuses a detail that is not a sentence for people', () => {
    expect(toProblem({ detail: 'x'.repeat(5000) }, 500).detail).not.toContain('xxxx');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('20')).toBe(20);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30);
  });
});

describe('problemFromResponse', () => {
  it('parses application/problem+json', async () => {
    const response = new Response(
      JSON.stringify({ type: 'urn:chat-on-azure:problem:payload-too-large', status: 413, detail: 'Too long.' }),
      { status: 413, headers: { 'content-type': 'application/problem+json' } },
    );
    const error = await problemFromResponse(response);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 413, type: 'urn:chat-on-azure:problem:payload-too-large', detail: 'Too long.' });
    expect(error.message).toBe('Too long.');
  });

  it('survives an HTML error page and a broken JSON body', async () => {
    const html = await problemFromResponse(
      new Response('<h1>Bad gateway</h1>', { status: 502, headers: { 'content-type': 'text/html' } }),
    );
    expect(html.detail).not.toContain('<');
    const broken = await problemFromResponse(
      new Response('{"type":', { status: 500, headers: { 'content-type': 'application/problem+json' } }),
    );
    expect(broken.status).toBe(500);
    expect(broken.detail).toMatch(/\.$/);
  });

  it('reads retry_after, or the Retry-After header', async () => {
    const fromHeader = await problemFromResponse(
      new Response('', { status: 429, headers: { 'retry-after': '12' } }),
    );
    expect(fromHeader.retryAfter).toBe(12);
  });
});
