// Validates instances against qmwire's JSON Schemas with JavaScript's `ajv` (draft 2020-12).
//
// Reads JSON lines `{"schema": PATH, "instance": VALUE}` on standard input (PATH relative to the
// schemas folder given as the first argument) and prints one line per instance: `valid` or
// `invalid` (with ajv's first error). ajv is loaded from `$QMWIRE_AJV_DIR/node_modules` (where
// .ci/run installs it) or the usual module path; exits 3 when it is not there, so the caller can
// tell that apart from a failure. ajv runs in strict mode, with the schemas' `x-` annotation
// keywords declared, so a keyword ajv does not know is an error, not silently ignored.
"use strict";
const fs = require("fs");
const path = require("path");
const readline = require("readline");

let Ajv2020;
try {
  const dir = process.env.QMWIRE_AJV_DIR;
  const from = dir ? [path.resolve(dir, "node_modules")] : undefined;
  Ajv2020 = require(require.resolve("ajv/dist/2020", from ? { paths: from } : undefined)).default;
} catch (e) {
  process.exit(3);
}

const root = process.argv[2];
// Union types (`"type": ["string", "number"]`) are standard JSON Schema; ajv's strict mode wants
// them allowed explicitly.
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
const annotations = new Set();
const validators = new Map();

function collect(value) {
  if (Array.isArray(value)) {
    value.forEach(collect);
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k.startsWith("x-") && !annotations.has(k)) {
        annotations.add(k);
        ajv.addKeyword(k);
      }
      collect(v);
    }
  }
}

function validator(file) {
  if (!validators.has(file)) {
    const schema = JSON.parse(fs.readFileSync(path.join(root, file), "utf8"));
    collect(schema);
    validators.set(file, ajv.compile(schema));
  }
  return validators.get(file);
}

const out = [];
readline
  .createInterface({ input: process.stdin })
  .on("line", (line) => {
    if (!line) return;
    const { schema, instance } = JSON.parse(line);
    const validate = validator(schema);
    if (validate(instance)) {
      out.push("valid");
    } else {
      const e = validate.errors[0];
      out.push(`invalid ${e.instancePath} ${e.keyword}`);
    }
  })
  .on("close", () => process.stdout.write(out.map((l) => l + "\n").join("")));
