/**
 * Syntax highlighting of fenced code: highlight.js core with a small set of languages (the
 * full build would weigh ~10× more). Its own chunk, imported by `code.ts` when the first code
 * block arrives. The output is `<span class="hljs-…">` only and still goes through DOMPurify
 * with the rest of the answer. Results are cached, so the one-shot render in `finish()` does
 * not highlight again what streaming already did.
 */
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const LANGUAGES = { bash, csharp, css, diff, go, java, javascript, json, markdown, python, shell, sql, typescript, xml, yaml };
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);

/** The registered language for a fence's info string (`py`, `ts`, `html`…), or null. */
function codeLanguage(lang: string): string | null {
  const name = lang.trim().toLowerCase();
  return name !== '' && hljs.getLanguage(name) !== undefined ? name : null;
}

const cache = new Map<string, string>();
const CACHE_SIZE = 64;

/** Highlighted HTML of `code` (escaped), or null if the language is not registered. */
export function highlightCode(code: string, lang: string): string | null {
  const language = codeLanguage(lang);
  if (language === null) return null;
  const key = `${language}\n${code}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let html: string;
  try {
    html = hljs.highlight(code, { language, ignoreIllegals: true }).value;
  } catch {
    return null;
  }
  if (cache.size >= CACHE_SIZE) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(key, html);
  return html;
}
