// Replaces one "## <heading>" section of a Markdown file (docs/benchmarks.md), keeping the others as they are.
// Used by scripts/gas-benchmark.js and, through write_doc_section in scripts/lib.sh, by the bench-*.sh scripts.
// Command line: node scripts/doc-section.js FILE HEADING SECTION_FILE
const fs = require("node:fs");
const path = require("node:path");

/** Replaces the "## heading" section of file (up to the next "## " heading) with section, or appends it. */
function writeSection(file, heading, section) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const body = section.trim() + "\n";
  let text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "# Benchmarks\n";
  const escaped = heading.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`^## ${escaped}\\n[\\s\\S]*?(?=^## |(?![\\s\\S]))`, "m");
  text = pattern.test(text) ? text.replace(pattern, () => body + "\n") : text.trimEnd() + "\n\n" + body;
  fs.writeFileSync(file, text.trimEnd() + "\n");
}

module.exports = { writeSection };

if (require.main === module) {
  const [file, heading, sectionFile] = process.argv.slice(2);
  writeSection(file, heading, fs.readFileSync(sectionFile, "utf8"));
}
