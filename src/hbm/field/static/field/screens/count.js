/**
 * Counting people when there is no time for more: one number per sex and age band. The rows
 * and columns are the values the count schema accepts; their names come with the reference data.
 */
import { announce, h, replace } from "../dom.js";
import { errorsShow } from "../forms.js";
import { gettext as _, interpolate } from "../i18n.js";
import { labelOf } from "../labels.js";
import { newId, outboxRequeue } from "../outbox.js";
import { app, currentPoint, offlineTooLong, queue } from "../session.js";
import { payloadErrors } from "../validate.js";
import { encounterNow, errorSummary, expiredNotice, rejectionNotice, savedNotice, screenHead } from "./common.js";

export async function render(main, notice = null) {
  const point = currentPoint();
  const form = countForm({ cells: [], onSave: (payload) => saveNew(main, point, payload) });
  replace(main, h("section", { dataset: { screen: "count" } }, screenHead(_("Count people"), point), notice, await expiredNotice(), form));
}

export function renderFix(main, entry, opened) {
  const { record, error } = opened;
  const form = countForm({
    cells: record.payload.cells,
    encounter: record.payload.encounter,
    error,
    onSave: async (payload) => {
      await outboxRequeue(entry, { ...record, payload }, labelFor(payload));
      location.hash = "#/outbox";
    },
  });
  replace(main, h("section", { dataset: { screen: "count-fix" } }, h("h1", {}, _("Correct a count")), rejectionNotice(error), form));
}

/** The values of the cell schema's `name` enum with their display names. */
function axis(name, choices) {
  const cell = app.reference.schemas.count.properties.cells.items;
  const labels = new Map(app.reference.choices[choices].map((choice) => [choice.value, choice.label]));
  return cell.properties[name].enum.map((value) => ({ value, label: labels.get(value) || value }));
}

function countForm({ cells, encounter = null, error = null, onSave }) {
  const sexes = axis("sex", "sex");
  const bands = axis("age_band", "age_band");
  const limits = app.reference.schemas.count.properties.cells.items.properties.count;
  const given = new Map(cells.map((cell) => [`${cell.sex}|${cell.age_band}`, cell.count]));
  const summary = errorSummary();
  const input = (sex, band, first) =>
    h("input", {
      type: "number",
      inputmode: "numeric",
      min: limits.minimum,
      max: limits.maximum,
      name: `${sex.value}|${band.value}`,
      value: given.get(`${sex.value}|${band.value}`) ?? "",
      autofocus: first,
      "aria-label": `${sex.label} · ${band.label}`,
    });
  const table = h(
    "table",
    { class: "table count-grid" },
    h("thead", {}, h("tr", {}, h("th", {}, ""), bands.map((band) => h("th", { class: "num" }, band.label)))),
    h("tbody", {}, sexes.map((sex, row) => h("tr", {}, h("th", {}, sex.label), bands.map((band, column) => h("td", {}, input(sex, band, row === 0 && column === 0)))))),
  );
  const form = h(
    "form",
    { class: "form", dataset: { testid: "count-form" }, novalidate: true },
    summary,
    h("div", { class: "field", dataset: { path: "cells" } }, h("div", { class: "field-error", hidden: true }), h("div", { class: "table-wrap" }, table)),
    h("div", { class: "actions actions--save" }, h("button", { type: "submit", class: "button button--primary button--large", dataset: { testid: "save-count" } }, _("Save the count"))),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (await offlineTooLong()) {
      errorsShow(form, { payload: [_("Connect and sync first: this device has been offline too long.")] }, summary, labelOf);
      return;
    }
    const payload = { cells: cellsOf(form), encounter: encounter || encounterNow(currentPoint()) };
    if (!errorsShow(form, cellErrors(payloadErrors(app.reference, "count", payload)), summary, labelOf)) {
      await onSave(payload);
    }
  });
  if (error) {
    errorsShow(form, cellErrors(error.fields || {}), summary, labelOf);
  }
  return form;
}

/** The cells typed in: every non-empty box, in the table's order. */
function cellsOf(form) {
  return [...form.querySelectorAll("input[type=number]")]
    .filter((input) => input.value !== "" || input.validity.badInput)
    .map((input) => {
      const [sex, band] = input.name.split("|");
      return { sex, age_band: band, count: input.value === "" ? input.value : Number(input.value) };
    });
}

/** Errors about one cell ("cells.2.count") are shown on the table as a whole. */
function cellErrors(errors) {
  const shown = {};
  for (const [path, messages] of Object.entries(errors)) {
    const key = path.startsWith("cells") ? "cells" : path;
    shown[key] = [...(shown[key] || []), ...messages];
  }
  return shown;
}

function labelFor(payload) {
  const total = payload.cells.reduce((sum, cell) => sum + cell.count, 0);
  return interpolate(_("%(total)s people counted"), { total });
}

async function saveNew(main, point, payload) {
  await queue([[{ id: newId(), kind: "count", crossing_point: point.id, payload }, { label: labelFor(payload) }]]);
  const text = interpolate(_("Saved on this device: %(label)s."), { label: labelFor(payload) });
  announce(text);
  await render(main, savedNotice(text));
  main.querySelector("[autofocus]")?.focus();
}
