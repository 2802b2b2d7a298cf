/**
 * Form fields made from the server's JSON Schemas: the kind of input, its limits and its choices
 * come from the schema property, the words from the app's translations and the reference data.
 * A form's values are read back into the JSON the API takes, and the errors of the validator (or
 * of the server) are shown beside the fields they name, with a summary on top.
 */
import { h, replace } from "./dom.js";
import { gettext as _ } from "./i18n.js";

/**
 * @typedef {Object} FieldSpec
 * @property {string} path the API's name of the field, e.g. "documents.0.kind"
 * @property {string} label
 * @property {Object} schema the JSON Schema of the field
 * @property {Array<{value: string, label: string}>} [choices] display names of an enum's values
 * @property {Array<{code: string, name: string}>} [codes] a code list, offered as suggestions
 * @property {"radios"|"select"} [widget] for an enum (default: select)
 * @property {boolean} [required]
 * @property {string} [hint]
 * @property {boolean} [autofocus]
 */

/** The schema of a property without its "or null" alternative. */
function schemaOf(property) {
  const branches = property.anyOf || property.oneOf;
  if (!branches) {
    return property;
  }
  const meant = branches.find((branch) => branch.type !== "null") || branches[0];
  return { ...property, ...meant, anyOf: undefined, oneOf: undefined };
}

/** The property `name` of an object schema, nested paths included ("documents.0.kind"). */
export function propertyAt(schema, path) {
  let node = schema;
  for (const part of path.split(".")) {
    const base = schemaOf(node);
    node = /^\d+$/.test(part) ? schemaOf(base.items) : base.properties[part];
  }
  return node;
}

function idOf(path) {
  return `f-${path.replace(/\./g, "-")}`;
}

function kindOf(spec) {
  const schema = schemaOf(spec.schema);
  if (schema.type === "array") {
    return schemaOf(schema.items).enum ? "checkboxes" : "codes";
  }
  if (schema.enum) {
    return spec.widget === "radios" ? "radios" : "select";
  }
  if (schema.type === "boolean") {
    return "checkbox";
  }
  if (schema.type === "integer" || schema.type === "number") {
    return "number";
  }
  return schema.format === "date" ? "date" : "text";
}

/**
 * A labelled field for `spec`, holding `value`.
 * @param {FieldSpec} spec
 * @param {*} value
 */
export function field(spec, value) {
  const kind = kindOf(spec);
  const control = CONTROLS[kind](spec, value);
  const label = spec.required ? [spec.label, h("span", { class: "required", "aria-hidden": "true" }, " *")] : spec.label;
  const grouped = kind === "radios" || kind === "checkboxes";
  const wrapper = h(grouped ? "fieldset" : "div", {
    class: `field field--${kind}${kind === "checkbox" ? " field--checkbox" : ""}`,
    dataset: { path: spec.path, kind },
    id: `${idOf(spec.path)}-field`,
  });
  if (grouped) {
    wrapper.append(h("legend", {}, label));
  } else if (kind !== "checkbox") {
    wrapper.append(h("label", { for: idOf(spec.path) }, label));
  }
  if (spec.hint) {
    wrapper.append(h("p", { class: "hint", id: `${idOf(spec.path)}-hint` }, spec.hint));
  }
  wrapper.append(h("div", { class: "field-error", hidden: true, id: `${idOf(spec.path)}-error` }), control);
  if (kind === "checkbox") {
    wrapper.append(h("label", { for: idOf(spec.path) }, label));
  }
  return wrapper;
}

function commonAttributes(spec) {
  return {
    id: idOf(spec.path),
    name: spec.path,
    autofocus: spec.autofocus,
    "aria-describedby": `${idOf(spec.path)}-error${spec.hint ? ` ${idOf(spec.path)}-hint` : ""}`,
  };
}

const CONTROLS = {
  text(spec, value) {
    const schema = schemaOf(spec.schema);
    const attributes = { ...commonAttributes(spec), type: "text", value: value ?? "", maxlength: schema.maxLength, autocomplete: "off" };
    if (schema["x-hbm-format"] === "group-token") {
      Object.assign(attributes, { class: "token-input", autocapitalize: "characters", spellcheck: "false", maxlength: null });
    }
    if (spec.codes) {
      Object.assign(attributes, { list: `codes-${schema["x-hbm-codes"]}`, autocapitalize: "characters", class: "code-input" });
    }
    return h("input", attributes);
  },
  number(spec, value) {
    const schema = schemaOf(spec.schema);
    return h("input", {
      ...commonAttributes(spec),
      type: "number",
      inputmode: "numeric",
      min: schema.minimum,
      max: schema.maximum,
      step: schema.type === "integer" ? 1 : "any",
      value: value ?? "",
    });
  },
  date(spec, value) {
    return h("input", { ...commonAttributes(spec), type: "date", value: value ?? "" });
  },
  checkbox(spec, value) {
    return h("input", { ...commonAttributes(spec), type: "checkbox", checked: Boolean(value) });
  },
  select(spec, value) {
    const options = choicesOf(spec).map((choice) => h("option", { value: choice.value, selected: choice.value === value }, choice.label));
    return h("select", commonAttributes(spec), h("option", { value: "" }, "—"), options);
  },
  radios(spec, value) {
    return h("div", { class: "choices choices--inline", role: "radiogroup" }, choicesOf(spec).map((choice, index) => choiceControl(spec, "radio", choice, choice.value === value, index)));
  },
  checkboxes(spec, value) {
    const chosen = new Set(value || []);
    return h("div", { class: "choices choices--grid" }, choicesOf(spec).map((choice, index) => choiceControl(spec, "checkbox", choice, chosen.has(choice.value), index)));
  },
  codes(spec, value) {
    const schema = schemaOf(schemaOf(spec.schema).items);
    return h("input", {
      ...commonAttributes(spec),
      type: "text",
      value: (value || []).join(", "),
      list: `codes-${schema["x-hbm-codes"]}`,
      class: "code-input",
      autocomplete: "off",
    });
  },
};

function choiceControl(spec, type, choice, checked, index) {
  const id = `${idOf(spec.path)}-${index}`;
  const input = h("input", { type, id, name: spec.path, value: choice.value, checked, autofocus: spec.autofocus && index === 0 });
  return h("label", { class: "choice", for: id }, input, " ", h("span", {}, choice.label));
}

/** The values an enum accepts, with their display names, in the schema's order. */
function choicesOf(spec) {
  const schema = schemaOf(spec.schema);
  const values = schema.type === "array" ? schemaOf(schema.items).enum : schema.enum;
  const names = new Map((spec.choices || []).map((choice) => [choice.value, choice.label]));
  return values.map((value) => ({ value, label: names.get(value) || value }));
}

/** A datalist of codes with their names, for fields with `x-hbm-codes` (one per list and form). */
export function codeList(name, items) {
  return h("datalist", { id: `codes-${name}` }, items.map((item) => h("option", { value: item.code }, item.name)));
}

/**
 * The JSON of a form: each field read as its schema says, empty fields left out.
 * @param {HTMLFormElement} form
 * @param {FieldSpec[]} specs
 */
export function formValues(form, specs) {
  const payload = {};
  for (const spec of specs) {
    const value = READERS[kindOf(spec)](form, spec);
    if (value !== undefined) {
      setPath(payload, spec.path, value);
    }
  }
  return payload;
}

const READERS = {
  text: (form, spec) => {
    const schema = schemaOf(spec.schema);
    const text = form.elements[spec.path].value.trim();
    if (text === "") {
      return undefined;
    }
    return schema["x-hbm-codes"] ? text.toUpperCase() : text;
  },
  number: (form, spec) => {
    const input = form.elements[spec.path];
    if (input.value === "") {
      return input.validity.badInput ? input.value : undefined;
    }
    return Number(input.value);
  },
  date: (form, spec) => form.elements[spec.path].value || undefined,
  checkbox: (form, spec) => (form.elements[spec.path].checked ? true : undefined),
  select: (form, spec) => form.elements[spec.path].value || undefined,
  radios: (form, spec) => form.querySelector(`input[name="${spec.path}"]:checked`)?.value,
  checkboxes: (form, spec) => {
    const values = [...form.querySelectorAll(`input[name="${spec.path}"]:checked`)].map((input) => input.value);
    return values.length ? values : undefined;
  },
  codes: (form, spec) => {
    const codes = form.elements[spec.path].value.split(/[\s,;]+/).filter(Boolean).map((code) => code.toLowerCase());
    return codes.length ? codes : undefined;
  },
};

function setPath(target, path, value) {
  const parts = path.split(".");
  let node = target;
  parts.slice(0, -1).forEach((part, index) => {
    if (node[part] === undefined) {
      node[part] = /^\d+$/.test(parts[index + 1]) ? [] : {};
    }
    node = node[part];
  });
  node[parts.at(-1)] = value;
}

/**
 * Show `errors` ({path: [messages]}) beside their fields and in a summary that links to them;
 * focus the summary so a keyboard or screen reader user starts there. Returns whether any.
 * @param {HTMLFormElement} form
 * @param {Object<string, string[]>} errors
 * @param {HTMLElement} summary
 * @param {function(string): string} labelOf the label of a path, for the summary
 */
export function errorsShow(form, errors, summary, labelOf) {
  for (const wrapper of form.querySelectorAll(".field")) {
    wrapper.classList.remove("field--invalid");
    const slot = wrapper.querySelector(":scope > .field-error");
    slot.hidden = true;
    replace(slot);
  }
  const items = Object.entries(errors).map(([path, messages]) => errorShow(form, path, messages, labelOf));
  summary.hidden = items.length === 0;
  replace(summary, h("p", { class: "error-summary__title" }, _("Not saved: please correct what is marked below.")), h("ul", { class: "error-summary__list" }, items));
  if (items.length) {
    summary.focus();
  }
  return items.length > 0;
}

function errorShow(form, path, messages, labelOf) {
  const wrapper = fieldWrapper(form, path);
  const text = messages.join(" ");
  if (wrapper) {
    wrapper.classList.add("field--invalid");
    const slot = wrapper.querySelector(":scope > .field-error");
    slot.hidden = false;
    replace(slot, messages.map((message) => h("p", {}, message)));
  }
  const target = wrapper ? `#${wrapper.id}` : null;
  const label = labelOf(path);
  return h("li", { dataset: { path } }, target ? h("a", { href: target, on: { click: focusTarget } }, `${label}: ${text}`) : `${label}: ${text}`);
}

/** The field an error path names, or the closest field above it ("documents.0" for "documents.0.x.y"). */
function fieldWrapper(form, path) {
  const parts = path.split(".");
  for (let length = parts.length; length > 0; length -= 1) {
    const found = form.querySelector(`.field[data-path="${CSS.escape(parts.slice(0, length).join("."))}"]`);
    if (found) {
      return found;
    }
  }
  return null;
}

function focusTarget(event) {
  event.preventDefault();
  const wrapper = document.getElementById(event.currentTarget.getAttribute("href").slice(1));
  wrapper?.querySelector("input, select, textarea")?.focus();
}
