// The JSON Schemas: published as they are (with absolute `$id`s when the site URL is
// known), and walked into one documentation entry per key, so a key added to a schema
// is documented by itself.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { dataPaths, publication, readList } from "../_lib/settings.js";

export default function () {
  const { schemasDir, listFile } = dataPaths();
  const { siteUrl } = publication(readList(listFile));
  const files = readdirSync(schemasDir).filter((name) => name.endsWith(".schema.json")).sort();
  const byId = new Map();
  const published = files.map((file) => {
    const schema = JSON.parse(readFileSync(join(schemasDir, file), "utf8"));
    byId.set(schema.$id ?? file, schema);
    return { file, text: `${JSON.stringify(withAbsoluteId(schema, siteUrl), null, 2)}\n` };
  });

  const resolver = refResolver(byId);
  const output = byId.get("instances.schema.json");
  const kinds = (output?.items?.oneOf ?? []).map((branch) => {
    const { schema, base } = resolver.resolve(branch, "instances.schema.json");
    return {
      kind: schema.properties?.kind?.const ?? base.replace(/\.schema\.json$/, ""),
      title: schema.title ?? base,
      description: schema.description ?? "",
      schemaFile: base,
      keys: walkProperties(schema, base, "", resolver),
    };
  });
  const list = byId.get("list.schema.json");
  // Every other schema describes a file of its own (/services/<service>/history.json…).
  const described = new Set(["instances.schema.json", "list.schema.json", "common.schema.json", ...kinds.map((kind) => kind.schemaFile)]);
  const otherFiles = [...byId].filter(([id]) => !described.has(id)).map(([id, schema]) => ({
    id: id.replace(/\.schema\.json$/, ""),
    title: schema.title ?? id,
    description: schema.description ?? "",
    schemaFile: id,
    keys: walkProperties(schema, id, "", resolver),
  }));
  return {
    published,
    kinds,
    files: otherFiles,
    list: list ? { description: list.description, keys: walkProperties(list, "list.schema.json", "", resolver) } : null,
  };
}

function withAbsoluteId(schema, siteUrl) {
  if (!siteUrl || typeof schema.$id !== "string" || /^[a-z]+:/i.test(schema.$id)) return schema;
  return { ...schema, $id: new URL(`schemas/${schema.$id}`, siteUrl).href };
}

/** Resolves `$ref`s within and across schema files; `base` is the file a schema came from. */
function refResolver(byId) {
  function resolve(schema, base, seen = new Set()) {
    if (!schema || typeof schema.$ref !== "string") return { schema, base };
    const [file, pointer = ""] = schema.$ref.split("#");
    const target = file || base;
    const key = `${target}#${pointer}`;
    if (seen.has(key)) return { schema, base };
    seen.add(key);
    let node = byId.get(target);
    for (const part of pointer.split("/").filter(Boolean)) node = node?.[decodeURIComponent(part).replace(/~1/g, "/").replace(/~0/g, "~")];
    if (!node) throw new Error(`schemas: cannot resolve $ref "${schema.$ref}" in ${base}`);
    const { $ref: _ignored, ...siblings } = schema;
    const resolved = resolve(node, target, seen);
    // Keywords beside a $ref (a description, say) override the referenced ones.
    return { schema: { ...resolved.schema, ...siblings }, base: resolved.base };
  }
  return { resolve };
}

/** One entry per key, depth first; maps (`additionalProperties`) and arrays go one level down. */
function walkProperties(schema, base, prefix, resolver, depth = 0) {
  const entries = [];
  const required = new Set(schema.required ?? []);
  for (const [name, raw] of Object.entries(schema.properties ?? {})) {
    const { schema: property, base: propertyBase } = resolver.resolve(raw, base);
    const path = prefix ? `${prefix}.${name}` : name;
    entries.push(describe(path, property, propertyBase, resolver, required.has(name)));
    if (depth < 4) entries.push(...children(path, property, propertyBase, resolver, depth));
  }
  return entries;
}

function children(path, schema, base, resolver, depth) {
  if (schema.properties) return walkProperties(schema, base, path, resolver, depth + 1);
  const values = schema.additionalProperties && typeof schema.additionalProperties === "object" ? schema.additionalProperties : null;
  if (values) {
    const { schema: value, base: valueBase } = resolver.resolve(values, base);
    if (value.properties) return walkProperties(value, valueBase, `${path}.<name>`, resolver, depth + 1);
  }
  if (schema.items && typeof schema.items === "object") {
    const { schema: item, base: itemBase } = resolver.resolve(schema.items, base);
    if (item.properties) return walkProperties(item, itemBase, `${path}[]`, resolver, depth + 1);
  }
  return [];
}

function describe(path, schema, base, resolver, required) {
  const allowed = schema.const !== undefined ? [schema.const] : schema.enum ?? null;
  const itemAllowed = schema.items && typeof schema.items === "object" ? resolver.resolve(schema.items, base).schema.enum ?? null : null;
  const limits = [];
  if (schema.format) limits.push(`format ${schema.format}`);
  if (schema.minimum !== undefined) limits.push(`at least ${schema.minimum}`);
  if (schema.maximum !== undefined) limits.push(`at most ${schema.maximum}`);
  if (schema.maxLength !== undefined) limits.push(`up to ${schema.maxLength} characters`);
  if (schema.pattern) limits.push(`matches ${schema.pattern}`);
  if (schema.default !== undefined) limits.push(`default ${JSON.stringify(schema.default)}`);
  return {
    path,
    id: `key-${path.replace(/[^A-Za-z0-9_]+/g, "-").replace(/^-|-$/g, "")}`,
    description: schema.description ?? "",
    types: typesOf(schema, base, resolver),
    allowed: allowed?.map((value) => JSON.stringify(value)) ?? null,
    itemAllowed: itemAllowed?.map((value) => JSON.stringify(value)) ?? null,
    limits,
    required,
  };
}

function typesOf(schema, base, resolver) {
  if (schema.const !== undefined) return [typeName(schema.const)];
  if (schema.enum) return [...new Set(schema.enum.map(typeName))];
  if (schema.type) {
    const types = [].concat(schema.type);
    if (types.includes("array") && schema.items && typeof schema.items === "object") {
      const item = resolver.resolve(schema.items, base).schema;
      return types.map((type) => (type === "array" ? `array of ${typesOf(item, base, resolver).join(" or ")}` : type));
    }
    if (types.includes("object") && schema.additionalProperties && typeof schema.additionalProperties === "object") {
      const value = resolver.resolve(schema.additionalProperties, base).schema;
      return types.map((type) => (type === "object" ? `object of ${typesOf(value, base, resolver).join(" or ")}` : type));
    }
    return types;
  }
  const branches = schema.oneOf ?? schema.anyOf;
  if (branches) return [...new Set(branches.flatMap((branch) => typesOf(resolver.resolve(branch, base).schema, base, resolver)))];
  return ["any"];
}

function typeName(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return Number.isInteger(value) ? "integer" : typeof value;
}
