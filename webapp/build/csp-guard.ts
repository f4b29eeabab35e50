/**
 * A Vite plugin that fails the build when an emitted HTML page would need `'unsafe-inline'`
 * under the app's Content Security Policy
 * (`default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'`).
 *
 * It refuses inline `<script>` elements (any script without `src`), `<style>` blocks,
 * `style=` attributes, inline event handlers (`onclick=` …) and `javascript:` URLs.
 */
import type { Plugin } from 'vite';

interface Rule {
  readonly pattern: RegExp;
  readonly what: string;
}

const RULES: readonly Rule[] = [
  { pattern: /<script\b(?![^>]*\bsrc=)[^>]*>/i, what: 'an inline <script> (no src)' },
  { pattern: /<style\b/i, what: 'a <style> block' },
  { pattern: /<[a-z][^>]*\sstyle\s*=/i, what: 'a style= attribute' },
  { pattern: /<[a-z][^>]*\son[a-z]+\s*=/i, what: 'an inline event handler' },
  { pattern: /\bjavascript:/i, what: 'a javascript: URL' },
];

/** The problems of one HTML document, as sentences; empty when it is CSP-clean. */
export function findCspViolations(html: string): string[] {
  const withoutComments = html.replace(/<!--[\s\S]*?-->/g, '');
  return RULES.filter((rule) => rule.pattern.test(withoutComments)).map((rule) => rule.what);
}

export function cspGuard(): Plugin {
  return {
    name: 'chat-on-azure:csp-guard',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      for (const item of Object.values(bundle)) {
        if (item.type !== 'asset' || !item.fileName.endsWith('.html')) continue;
        const source = typeof item.source === 'string' ? item.source : new TextDecoder().decode(item.source);
        const problems = findCspViolations(source);
        if (problems.length > 0) {
          this.error(`${item.fileName} breaks the Content Security Policy: ${problems.join(', ')}`);
        }
      }
    },
  };
}
