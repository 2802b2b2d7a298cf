/**
 * The server's validation rules, applied on the device: a generic interpreter of the JSON
 * Schemas the server sends in its reference data (made from its own Pydantic schemas), plus
 * HBM's extensions and the crossing point's policy. No rule is written here twice: a rule the
 * server changes in its schemas changes here with the next reference data.
 *
 * Supported JSON Schema keywords (those Pydantic emits): type, enum, const, anyOf, oneOf, allOf,
 * properties, required, additionalProperties, items, minItems, maxItems, uniqueItems, minLength,
 * maxLength, pattern, format (date, date-time, uuid), minimum, maximum, exclusiveMinimum,
 * exclusiveMaximum, multipleOf. Extensions:
 * - `x-hbm-codes: "<list>"` on a string: one of the codes of the reference list (any case, as the
 *   server normalises codes);
 * - `x-hbm-format: "group-token"`: empty, or a token whose check character matches;
 * - `x-hbm-exactly-one: [[a, b, c]]` on an object: exactly one of those fields is given;
 * - `x-hbm-requires: {a: [b]}` on an object: when a is given, b must be too.
 *
 * Errors come out as the server's `fields`: `{"documents.0.kind": ["message"]}`.
 */
import { gettext as _, interpolate, ngettext } from "./i18n.js";
import { tokenValidate } from "./tokens.js";

const FORMATS = {
  date: isDate,
  "date-time": isDateTime,
  uuid: (text) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(text),
};

// The reference data names a long list of codes that has no display names beside the short list
// offered first (any ISO 639-3 language is accepted, the common ones are offered).
const FULL_CODE_LISTS = { languages: "language_codes" };

/**
 * The errors of `value` against `schema`; an empty object when it is valid.
 * @param {Object} schema a JSON Schema with its references inlined
 * @param {*} value
 * @param {Object} reference the reference data (for code lists)
 * @returns {Object<string, string[]>}
 */
export function schemaErrors(schema, value, reference) {
  const errors = {};
  check(schema, value, [], { reference, errors });
  return errors;
}

/**
 * The errors of a record's payload as the server would find them: its kind's schema, then (for
 * a person) what the crossing point's mode requires.
 * @param {Object} reference
 * @param {"count"|"group"|"person"|"person_edit"} kind
 * @param {Object} payload
 * @param {Object} [point] the crossing point, from the reference data
 */
export function payloadErrors(reference, kind, payload, point) {
  const errors = schemaErrors(reference.schemas[kind], payload, reference);
  if (kind === "person" && point) {
    for (const [path, messages] of Object.entries(policyErrors(point.policy, reference.policy_fields, payload))) {
      errors[path] = [...(errors[path] || []), ...messages];
    }
  }
  return errors;
}

/** Errors against the crossing point's policy: each required logical field has a value. */
function policyErrors(policy, logicalFields, payload) {
  const errors = {};
  for (const name of policy.required) {
    const fields = logicalFields[name] || [name];
    if (!fields.some((field) => isGiven(payload[field]))) {
      errors[fields[0]] = [interpolate(_("Required at this crossing point in %(mode)s mode."), { mode: policy.mode })];
    }
  }
  const hasDocument = isGiven(payload.documents);
  if (!policy.estimated_age_allowed && hasDocument && isGiven(payload.estimated_age)) {
    errors.estimated_age = [_("With a document, give the date or year of birth in this mode.")];
  }
  return errors;
}

/** Whether a field counts as filled in: not missing, not null, not blank, not an empty list. */
function isGiven(value) {
  if (value === undefined || value === null) {
    return false;
  }
  if (typeof value === "string") {
    return value.trim() !== "";
  }
  return !Array.isArray(value) || value.length > 0;
}

function add(context, path, message) {
  const key = path.join(".") || "payload";
  (context.errors[key] ||= []).push(message);
}

function check(schema, value, path, context) {
  if (schema.anyOf || schema.oneOf) {
    checkAlternatives(schema.anyOf || schema.oneOf, value, path, context);
  }
  for (const part of schema.allOf || []) {
    check(part, value, path, context);
  }
  if (schema.type !== undefined && !typeMatches(schema.type, value)) {
    add(context, path, typeMessage(schema.type));
    return;
  }
  if (schema.enum && !schema.enum.some((choice) => sameValue(choice, value))) {
    add(context, path, _("Choose one of the listed values."));
    return;
  }
  if ("const" in schema && !sameValue(schema.const, value)) {
    add(context, path, _("Choose one of the listed values."));
    return;
  }
  if (typeof value === "string") {
    checkString(schema, value, path, context);
  } else if (typeof value === "number") {
    checkNumber(schema, value, path, context);
  } else if (Array.isArray(value)) {
    checkArray(schema, value, path, context);
  } else if (value !== null && typeof value === "object") {
    checkObject(schema, value, path, context);
  }
}

/** anyOf: valid when one branch is; otherwise the errors of the branch meant for this type. */
function checkAlternatives(branches, value, path, context) {
  const outcomes = branches.map((branch) => {
    const errors = {};
    check(branch, value, path, { ...context, errors });
    return { branch, errors };
  });
  if (outcomes.some((outcome) => Object.keys(outcome.errors).length === 0)) {
    return;
  }
  const meant = outcomes.find((outcome) => outcome.branch.type === undefined || typeMatches(outcome.branch.type, value)) || outcomes[0];
  for (const [key, messages] of Object.entries(meant.errors)) {
    (context.errors[key] ||= []).push(...messages);
  }
}

function typeMatches(type, value) {
  if (Array.isArray(type)) {
    return type.some((one) => typeMatches(one, value));
  }
  switch (type) {
    case "null":
      return value === null;
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "string":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    case "array":
      return Array.isArray(value);
    case "object":
      return value !== null && typeof value === "object" && !Array.isArray(value);
    default:
      return true;
  }
}

function typeMessage(type) {
  const messages = {
    integer: _("Give a whole number."),
    number: _("Give a number."),
    string: _("Give a text."),
    boolean: _("Give yes or no."),
    array: _("Give a list."),
    object: _("Give the details."),
    null: _("Leave this empty."),
  };
  return messages[Array.isArray(type) ? type.find((one) => one !== "null") : type] || _("This value is not accepted.");
}

function sameValue(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function checkString(schema, value, path, context) {
  const length = [...value].length; // characters, as Python counts them, not UTF-16 units
  if (schema.minLength !== undefined && length < schema.minLength) {
    add(context, path, interpolate(ngettext("Give at least %(count)s character.", "Give at least %(count)s characters.", schema.minLength), { count: schema.minLength }));
  }
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    add(context, path, interpolate(ngettext("Give at most %(count)s character.", "Give at most %(count)s characters.", schema.maxLength), { count: schema.maxLength }));
  }
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value)) {
    add(context, path, _("This is not in the expected form."));
  }
  if (schema.format in FORMATS && !FORMATS[schema.format](value)) {
    add(context, path, formatMessage(schema.format));
  }
  if (schema["x-hbm-codes"] && !codesOf(context.reference, schema["x-hbm-codes"]).has(value.trim().toUpperCase())) {
    add(context, path, interpolate(_("%(code)s is not in the list."), { code: value }));
  }
  if (schema["x-hbm-format"] === "group-token" && value.trim() !== "") {
    try {
      tokenValidate(value);
    } catch (error) {
      add(context, path, error.message);
    }
  }
}

function formatMessage(format) {
  if (format === "date") {
    return _("Give a date (year-month-day).");
  }
  if (format === "date-time") {
    return _("Give a date and time with its time zone.");
  }
  return _("This is not a valid identifier.");
}

const codeSets = new WeakMap();

/** The codes of a reference list, upper-cased, made once per reference data. */
function codesOf(reference, name) {
  if (!codeSets.has(reference)) {
    codeSets.set(reference, {});
  }
  const sets = codeSets.get(reference);
  if (!sets[name]) {
    const full = reference[FULL_CODE_LISTS[name]] || [];
    const listed = (reference[name] || []).map((item) => item.code);
    sets[name] = new Set([...full, ...listed].map((code) => code.toUpperCase()));
  }
  return sets[name];
}

function checkNumber(schema, value, path, context) {
  const limit = (message, bound) => add(context, path, interpolate(message, { limit: bound }));
  if (schema.minimum !== undefined && value < schema.minimum) {
    limit(_("Give %(limit)s or more."), schema.minimum);
  }
  if (schema.maximum !== undefined && value > schema.maximum) {
    limit(_("Give %(limit)s or less."), schema.maximum);
  }
  if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) {
    limit(_("Give more than %(limit)s."), schema.exclusiveMinimum);
  }
  if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) {
    limit(_("Give less than %(limit)s."), schema.exclusiveMaximum);
  }
  if (schema.multipleOf !== undefined && !Number.isInteger(value / schema.multipleOf)) {
    limit(_("Give a multiple of %(limit)s."), schema.multipleOf);
  }
}

function checkArray(schema, value, path, context) {
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    add(context, path, interpolate(ngettext("Give at least %(count)s item.", "Give at least %(count)s items.", schema.minItems), { count: schema.minItems }));
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    add(context, path, interpolate(ngettext("Give at most %(count)s item.", "Give at most %(count)s items.", schema.maxItems), { count: schema.maxItems }));
  }
  if (schema.uniqueItems && new Set(value.map((item) => JSON.stringify(item))).size !== value.length) {
    add(context, path, _("Give each value only once."));
  }
  (schema.prefixItems || []).forEach((itemSchema, index) => {
    if (index < value.length) {
      check(itemSchema, value[index], [...path, index], context);
    }
  });
  if (schema.items && typeof schema.items === "object") {
    const start = (schema.prefixItems || []).length;
    value.slice(start).forEach((item, offset) => check(schema.items, item, [...path, start + offset], context));
  }
}

function checkObject(schema, value, path, context) {
  const properties = schema.properties || {};
  for (const name of schema.required || []) {
    if (value[name] === undefined) {
      add(context, [...path, name], _("This field is required."));
    }
  }
  for (const [name, item] of Object.entries(value)) {
    if (item === undefined) {
      continue;
    }
    if (name in properties) {
      check(properties[name], item, [...path, name], context);
    } else if (schema.additionalProperties === false) {
      add(context, [...path, name], _("Unknown field."));
    } else if (typeof schema.additionalProperties === "object") {
      check(schema.additionalProperties, item, [...path, name], context);
    }
  }
  for (const group of schema["x-hbm-exactly-one"] || []) {
    if (group.filter((name) => value[name] !== undefined && value[name] !== null).length !== 1) {
      add(context, [...path, group[0]], _("Give exactly one of these."));
    }
  }
  for (const [name, needed] of Object.entries(schema["x-hbm-requires"] || {})) {
    for (const other of isGiven(value[name]) ? needed : []) {
      if (!isGiven(value[other])) {
        add(context, [...path, other], _("This field is required."));
      }
    }
  }
}

function isDate(text) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) {
    return false;
  }
  const [year, month, day] = match.slice(1).map(Number);
  const moment = new Date(Date.UTC(year, month - 1, day));
  return moment.getUTCFullYear() === year && moment.getUTCMonth() === month - 1 && moment.getUTCDate() === day;
}

/** RFC 3339 date-time: a date, a time and an offset (Z or ±hh:mm). */
function isDateTime(text) {
  const match = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.exec(text);
  return Boolean(match) && isDate(match[1]) && Number(match[2]) < 24 && Number(match[3]) < 60 && Number(match[4]) < 61;
}
