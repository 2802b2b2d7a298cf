/** Pieces several screens share: notices, the saved message, reading a record's name. */
import { h } from "../dom.js";
import { field, propertyAt } from "../forms.js";
import { gettext as _ } from "../i18n.js";
import { labelOf } from "../labels.js";
import { offlineTooLong } from "../session.js";

/** A notice when the device has been out of touch too long (new records are refused), or null. */
export async function expiredNotice() {
  if (!(await offlineTooLong())) {
    return null;
  }
  return h("p", { class: "notice notice--refused", role: "alert", dataset: { testid: "offline-too-long" } }, _("This device has not reached the server for too long. Connect and sync before registering more people."));
}

/** "Surname, Given names" of a person's data (Latin letters, else as written). */
export function personName(data) {
  const surname = data.surname_latin || data.surname_original || "";
  const given = data.given_names_latin || data.given_names_original || "";
  return [surname, given].filter(Boolean).join(", ") || _("(no name)");
}

/** When and how the crossing happened, as the device saw it. */
export function encounterNow(point) {
  const transport = { land: "land", sea: "sea_disembarkation", air: "air" }[point.kind];
  return { occurred_at: new Date().toISOString(), ...(transport ? { transport } : {}) };
}

/** The heading of a form screen with the crossing point's name. */
export function screenHead(title, point) {
  return h("div", { class: "page-head" }, h("div", {}, h("p", { class: "eyebrow" }, point?.name || ""), h("h1", {}, title)));
}

/**
 * The field specs of `paths` of an object schema, with their words and choices.
 * @param {Object} schema the record kind's JSON Schema
 * @param {string[]} paths
 * @param {{reference: Object, required?: Set<string>, extras?: Object<string, Object>}} options
 */
export function specsOf(schema, paths, { reference, required = new Set(), extras = {} }) {
  return paths.map((path) => ({
    path,
    label: labelOf(path),
    schema: propertyAt(schema, path),
    required: required.has(path),
    ...choicesFor(path, reference),
    ...(extras[path] || {}),
  }));
}

// Which reference list names the values of which field.
const CHOICE_LISTS = {
  sex: "sex",
  relationship: "relationship",
  specific_needs: "specific_need",
  "documents.0.kind": "document_kind",
  no_document_reason: "no_document_reason",
};

function choicesFor(path, reference) {
  if (path in CHOICE_LISTS) {
    return { choices: reference.choices[CHOICE_LISTS[path]] };
  }
  return {};
}

/**
 * A form's body from sections of fields: a fieldset (or a details element that opens) each.
 * @param {Array<{legend?: string, hint?: string, details?: boolean, open?: boolean, required?: boolean, paths: string[]}>} sections
 * @param {Object<string, Object>} specs by path
 * @param {Object} values by path
 */
export function sectionsRender(sections, specs, values) {
  return sections.map((section) => {
    const fields = h("div", { class: "form-grid" }, section.paths.map((path) => field(specs[path], valueAt(values, path))));
    if (!section.legend) {
      return fields;
    }
    const title = [section.legend, section.required ? h("span", { class: "required", "aria-hidden": "true" }, " *") : null];
    const hint = section.hint ? h("p", { class: "hint" }, section.hint) : null;
    if (section.details) {
      return h("details", { class: "group group--details", open: section.open }, h("summary", {}, title), hint, fields);
    }
    return h("fieldset", { class: "group" }, h("legend", {}, title), hint, fields);
  });
}

/** The value at a dotted path of an object ("documents.0.kind"), or undefined. */
export function valueAt(values, path) {
  return path.split(".").reduce((node, part) => (node === undefined || node === null ? undefined : node[part]), values);
}

/** The "saved on this device" notice at the top of a form. */
export function savedNotice(text) {
  return h("p", { class: "notice notice--saved", role: "status", dataset: { testid: "saved" } }, text);
}

/** The error summary box of a form (filled by forms.errorsShow). */
export function errorSummary() {
  return h("div", { class: "error-summary", tabindex: "-1", hidden: true, dataset: { testid: "error-summary" } });
}

/** The server's reason for refusing a record, above the form that fixes it. */
export function rejectionNotice(error) {
  if (!error) {
    return null;
  }
  return h("div", { class: "notice notice--refused", role: "alert", dataset: { testid: "rejection" } }, h("strong", {}, _("The server refused this record:")), " ", error.message);
}
