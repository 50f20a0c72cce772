// `openapi-typescript <document> --default-non-nullable false --output <file>`, through its Node API for one
// transform the CLI lacks: a binary body (the `format: binary` schema of a non-JSON media type, contract/binary.py)
// is a Blob, which fetch sends and reads as raw bytes, not the `string` openapi-typescript gives every format.
// Inside JSON a `format: binary` string stays a string. Lives here so that Node resolves its imports from
// node_modules beside it.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import openapiTS, { astToString, COMMENT_HEADER } from "openapi-typescript";
import ts from "typescript";

const [document, output] = process.argv.slice(2);
const BLOB = ts.factory.createTypeReferenceNode("Blob");
const MEDIA_SCHEMA = /\/content\/([^/]+)$/; // the media type object's own schema (its path ends at the media type)

const ast = await openapiTS(pathToFileURL(path.resolve(document)), {
  defaultNonNullable: false,
  transform(schema, { path: where }) {
    const media = where?.match(MEDIA_SCHEMA)?.[1]?.replaceAll("~1", "/");
    if (schema.format === "binary" && media !== undefined && media !== "application/json") return BLOB;
    return undefined;
  },
});
fs.writeFileSync(output, COMMENT_HEADER + astToString(ast));
