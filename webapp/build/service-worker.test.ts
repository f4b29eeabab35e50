import { describe, expect, it } from 'vitest';
import { assetsOfPage, injectManifest, MANIFEST_PLACEHOLDER, shellManifest } from './service-worker';

const INDEX = `<!doctype html><head>
<link rel="icon" href="/favicon.svg">
<link rel="manifest" href="/manifest.webmanifest">
<script type="module" crossorigin src="/assets/index-AbC1.js"></script>
<link rel="modulepreload" crossorigin href="/assets/auth-x_2.js">
<link rel="stylesheet" crossorigin href="/assets/index-9.css">
<link rel="stylesheet" media="print" href="/assets/print-7.css" />
</head>`;
const OFFLINE = '<link rel="stylesheet" crossorigin href="/assets/base-1.css"><script type="module" crossorigin src="/assets/offline-2.js"></script>';

describe('the shell manifest', () => {
  it('lists what the pages load from /assets, and the offline page itself', () => {
    expect(assetsOfPage(INDEX)).toEqual(['/assets/index-AbC1.js', '/assets/auth-x_2.js', '/assets/index-9.css', '/assets/print-7.css']);
    const manifest = shellManifest(
      new Map([
        ['index.html', INDEX],
        ['offline.html', OFFLINE],
      ]),
      ['offline.html'],
      'worker code',
    );
    expect(manifest.files).toEqual([
      '/assets/auth-x_2.js',
      '/assets/base-1.css',
      '/assets/index-9.css',
      '/assets/index-AbC1.js',
      '/assets/offline-2.js',
      '/assets/print-7.css',
      '/offline.html',
    ]);
    expect(manifest.version).toMatch(/^[0-9a-f]{16}$/);
  });

  it('has a new version whenever a page, a file it loads or the worker changes', () => {
    const version = (index: string, worker = 'w'): string => shellManifest(new Map([['index.html', index]]), [], worker).version;
    expect(version(INDEX)).toBe(version(INDEX));
    expect(version(INDEX.replace('index-AbC1.js', 'index-ZZZ.js'))).not.toBe(version(INDEX));
    expect(version(INDEX, 'w2')).not.toBe(version(INDEX));
  });

  it('goes into the worker as a string literal the worker parses', () => {
    const manifest = { version: 'v1', files: ['/offline.html', "/assets/it's.js"] };
    for (const quote of ['"', "'", '`']) {
      const code = injectManifest(`var s=JSON.parse(${quote}${MANIFEST_PLACEHOLDER}${quote});`, manifest);
      const literal = /JSON\.parse\((.*)\);$/.exec(code)?.[1] ?? '';
      expect(JSON.parse(JSON.parse(literal) as string)).toEqual(manifest);
    }
    expect(() => injectManifest('var s=1;', manifest)).toThrow(MANIFEST_PLACEHOLDER);
  });
});
