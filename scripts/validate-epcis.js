#!/usr/bin/env node
// Validates EPCIS 2.0 JSON/JSON-LD documents against GS1's official EPCIS 2.0 JSON Schema (draft-07, so the
// default Ajv class) with ajv + ajv-formats.
//
// Usage: node scripts/validate-epcis.js [--schema PATH] FILE...
//   Schema: --schema, else $PROVENANCE_EPCIS_SCHEMA, else <vectors>/epcis/gs1/EPCIS-JSON-Schema.json where
//   <vectors> is $PROVENANCE_VECTORS or ../shared/vectors beside the repository.
// Prints "ok FILE" or "invalid FILE" followed by one line per error: "  <JSON pointer>: <message>".
// Exit: 0 all valid, 1 some invalid (or not JSON), 2 usage error or schema not found.
"use strict";

const fs = require("fs");
const path = require("path");
const Ajv = require("ajv");
const addFormats = require("ajv-formats");

function schemaPath(args) {
  const flag = args.indexOf("--schema");
  if (flag >= 0) {
    const value = args[flag + 1];
    args.splice(flag, 2);
    return value;
  }
  if (process.env.PROVENANCE_EPCIS_SCHEMA) return process.env.PROVENANCE_EPCIS_SCHEMA;
  const vectors = process.env.PROVENANCE_VECTORS || path.resolve(__dirname, "..", "..", "shared", "vectors");
  return path.join(vectors, "epcis", "gs1", "EPCIS-JSON-Schema.json");
}

// Ajv reports every branch of the schema's anyOf/if-then that failed; keep each (pointer, message) once.
function describe(errors) {
  const seen = new Set();
  const lines = [];
  for (const e of errors) {
    let message = e.message;
    if (e.keyword === "additionalProperties") message += ` '${e.params.additionalProperty}'`;
    if (e.keyword === "propertyNames") message = `property name '${e.params.propertyName}' is invalid`;
    if (e.keyword === "enum") message += `: ${e.params.allowedValues.join(", ")}`;
    const line = `  ${e.instancePath || "/"}: ${message} (schema ${e.schemaPath})`;
    if (!seen.has(line)) {
      seen.add(line);
      lines.push(line);
    }
  }
  return lines;
}

function main() {
  const args = process.argv.slice(2);
  const schemaFile = schemaPath(args);
  if (args.length === 0 || !schemaFile) {
    console.error("usage: node scripts/validate-epcis.js [--schema PATH] FILE...");
    return 2;
  }
  if (!fs.existsSync(schemaFile)) {
    console.error(`EPCIS JSON Schema not found at ${schemaFile} (set PROVENANCE_EPCIS_SCHEMA or PROVENANCE_VECTORS)`);
    return 2;
  }

  // strict: false — GS1's schema lists required properties it does not define in the same subschema, which
  // strict mode rejects ("strictRequired").
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, "utf8")));

  let failed = 0;
  for (const file of args) {
    let document;
    try {
      document = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
      failed++;
      console.log(`invalid ${file}`);
      console.log(`  /: not readable as JSON: ${error.message}`);
      continue;
    }
    if (validate(document)) {
      console.log(`ok ${file}`);
    } else {
      failed++;
      console.log(`invalid ${file}`);
      for (const line of describe(validate.errors)) console.log(line);
    }
  }
  console.log(`${args.length - failed} valid, ${failed} invalid`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = main();
