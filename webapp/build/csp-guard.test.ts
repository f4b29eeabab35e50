import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findCspViolations } from './csp-guard';

const webapp = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('findCspViolations', () => {
  it('accepts external scripts and stylesheets', () => {
    expect(
      findCspViolations('<script type="module" crossorigin src="/assets/a.js"></script><link rel="stylesheet" href="/a.css">'),
    ).toEqual([]);
  });

  it.each([
    ['<script>alert(1)</script>', 'an inline <script> (no src)'],
    ['<script type="module">import "/x.js"</script>', 'an inline <script> (no src)'],
    ['<style>body{}</style>', 'a <style> block'],
    ['<div style="color:red"></div>', 'a style= attribute'],
    ['<button onclick="go()">x</button>', 'an inline event handler'],
    ['<a href="javascript:void(0)">x</a>', 'a javascript: URL'],
  ])('refuses %s', (html, problem) => {
    expect(findCspViolations(html)).toContain(problem);
  });

  it.each(['index.html', 'login.html', 'unauthorized.html'])('the source page %s is CSP-clean', (page) => {
    expect(findCspViolations(readFileSync(join(webapp, page), 'utf8'))).toEqual([]);
  });
});
