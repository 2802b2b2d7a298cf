/**
 * Look-up, offline: persons pulled from the server for the officer's crossing points and the
 * persons registered on this device, by name or group token. A person on the server can be
 * corrected: the change is queued with the version it started from, so the server can tell a
 * change made meanwhile by someone else (a conflict a supervisor settles) from a clean merge.
 */
import { announce, h, replace } from "../dom.js";
import { codeList, errorsShow, formValues } from "../forms.js";
import { gettext as _, interpolate, ngettext } from "../i18n.js";
import { kindName, labelOf } from "../labels.js";
import { newId, outboxEntries, outboxOpen, outboxRequeue } from "../outbox.js";
import { app, queue } from "../session.js";
import { tokenFormat, tokenNormalise } from "../tokens.js";
import { schemaErrors } from "../validate.js";
import { errorSummary, personName, rejectionNotice, savedNotice, sectionsRender, specsOf, valueAt } from "./common.js";

const EDIT_PATHS = ["surname_latin", "given_names_latin", "surname_original", "given_names_original", "father_name", "mother_name", "sex", "date_of_birth", "nationality", "place_of_birth", "languages"];
const UNSENT_EDIT = new Set(["pending", "sending"]);
const MAX_RESULTS = 50;
let lastQuery = "";

/** #/lookup: the search; #/lookup/<id>: one person, with the form to correct them. */
export async function render(main, personId = null, notice = null) {
  const items = await lookupItems();
  if (personId) {
    const item = items.find((candidate) => candidate.id === personId);
    return item ? renderPerson(main, item, notice) : renderSearch(main, items);
  }
  return renderSearch(main, items);
}

/**
 * Every person the device knows: pulled from the server (preferred: newest values and version)
 * or registered here, with changes queued here and not yet sent laid over them.
 */
async function lookupItems() {
  const byId = new Map();
  for (const person of app.persons.persons) {
    byId.set(person.id, { id: person.id, data: person, tokens: person.group_tokens || [], version: person.version, state: "server" });
  }
  const edits = [];
  for (const entry of await outboxEntries()) {
    if (entry.kind === "person" && !byId.has(entry.id)) {
      const { record } = await outboxOpen(entry);
      const tokens = record.payload.group_token ? [record.payload.group_token] : [];
      byId.set(entry.id, { id: entry.id, data: record.payload, tokens, version: entry.version, state: entry.status, entry });
    } else if (entry.kind === "person_edit" && UNSENT_EDIT.has(entry.status)) {
      edits.push((await outboxOpen(entry)).record);
    }
  }
  for (const edit of edits) {
    const item = byId.get(edit.person);
    if (item) {
      item.data = { ...item.data, ...edit.changes };
    }
  }
  return [...byId.values()];
}

/**
 * `text` as the server's person search compares it (decision 0029): the Arabic-script letters writers
 * interchange unified by the server's own table, sent with the reference data (کریمی and كريمي,
 * ګلالۍ and گلالی are one), then every mark dropped (accents, harakat) and one case.
 */
function folded(text) {
  const letters = app.reference?.search_letters || {};
  const unified = Array.from(String(text || "").normalize("NFKC"), (char) => letters[char] ?? char).join("");
  return unified.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

// What a name is written with or without, as the server's search ignores it (decision 0027):
// spaces, hyphens, apostrophes (ASCII, U+2019, U+02BC).
const JOINERS = /[\s\-'\u2019\u02bc]/gu;

/** A person's names (surname, given names) folded and written without joiners. */
function compactNames(surname, given) {
  return folded(`${surname || ""} ${given || ""}`).replace(JOINERS, "");
}

/**
 * Whether `item` answers `query`: every word found in a name, in any order, spaces, hyphens and
 * apostrophes within a name ignored ("abdulrahman" finds "Abdul Rahman"); or the query in a
 * group token.
 */
function matches(item, query) {
  const words = folded(query).split(/\s+/).map((word) => word.replace(JOINERS, "")).filter(Boolean);
  const names = [
    compactNames(item.data.surname_latin, item.data.given_names_latin),
    compactNames(item.data.surname_original, item.data.given_names_original),
  ].join(" ");
  if (words.length && words.every((word) => names.includes(word))) {
    return true;
  }
  const token = tokenNormalise(query);
  return token.length >= 4 && item.tokens.some((candidate) => candidate.includes(token));
}

function renderSearch(main, items) {
  const results = h("div", { class: "lookup-results", dataset: { testid: "lookup-results" } });
  const search = h("input", { type: "search", id: "lookup-query", name: "q", value: lastQuery, autofocus: true, autocomplete: "off", dataset: { testid: "lookup-query" } });
  const update = () => {
    lastQuery = search.value;
    resultsRender(results, items, lastQuery);
  };
  search.addEventListener("input", update);
  replace(
    main,
    h(
      "section",
      { dataset: { screen: "lookup" } },
      h("h1", {}, _("Look up")),
      h(
        "form",
        { class: "form", role: "search", on: { submit: (event) => event.preventDefault() } },
        h("div", { class: "field" }, h("label", { for: "lookup-query" }, _("Name or group token")), search),
        h("p", { class: "hint" }, interpolate(ngettext("%(count)s person on this device.", "%(count)s persons on this device.", items.length), { count: items.length })),
      ),
      results,
    ),
  );
  update();
}

function resultsRender(results, items, query) {
  if (!query.trim()) {
    replace(results);
    return;
  }
  const found = items.filter((item) => matches(item, query));
  replace(
    results,
    found.length === 0 ? h("p", {}, _("Nobody found.")) : null,
    h("ul", { class: "result-list" }, found.slice(0, MAX_RESULTS).map((item) => h("li", {}, resultCard(item)))),
  );
}

function resultCard(item) {
  return h(
    "a",
    { class: "result card", href: `#/lookup/${item.id}`, dataset: { testid: "lookup-result", person: item.id } },
    h("span", { class: "result__name" }, personName(item.data)),
    originalName(item.data),
    h("span", { class: "result__facts" }, [item.data.sex, birthText(item.data), item.data.nationality, ...item.tokens.map(tokenText)].filter(Boolean).join(" · ")),
    stateBadge(item.state),
  );
}

function originalName(data) {
  const original = [data.surname_original, data.given_names_original].filter(Boolean).join(" ");
  return original ? h("span", { class: "result__original", dir: "auto" }, original) : null;
}

function tokenText(token) {
  try {
    return tokenFormat(token);
  } catch {
    return token;
  }
}

function birthText(data) {
  if (data.date_of_birth) {
    return data.date_of_birth;
  }
  if (data.birth_year) {
    return String(data.birth_year);
  }
  return data.estimated_age !== undefined && data.estimated_age !== null ? interpolate(_("about %(age)s years"), { age: data.estimated_age }) : "";
}

function stateBadge(state) {
  const names = { server: _("on the server"), sent: _("sent"), pending: _("waiting to be sent"), sending: _("waiting to be sent"), rejected: _("to fix") };
  return h("span", { class: `state state--${state}`, dataset: { testid: "state" } }, names[state] || state);
}

function renderPerson(main, item, notice) {
  const editable = item.version !== null && item.version !== undefined;
  replace(
    main,
    h(
      "section",
      { dataset: { screen: "person-view", person: item.id } },
      h("p", {}, h("a", { href: "#/lookup" }, _("Back to the search"))),
      h("h1", { dataset: { testid: "person-name" } }, personName(item.data)),
      originalName(item.data),
      stateBadge(item.state),
      notice,
      editable ? editForm(main, item) : unsentHelp(item),
    ),
  );
}

function unsentHelp(item) {
  const fixable = item.entry && (item.entry.status === "pending" || item.entry.status === "rejected");
  return h(
    "p",
    { class: "notice" },
    _("This registration has not reached the server yet."),
    " ",
    fixable ? h("a", { href: `#/entry/${item.id}`, dataset: { testid: "open-entry" } }, _("Correct it before it is sent")) : null,
  );
}

function editSpecs() {
  const list = specsOf(app.reference.schemas.person_edit, EDIT_PATHS, {
    reference: app.reference,
    extras: {
      surname_latin: { autofocus: true },
      sex: { widget: "radios" },
      nationality: { codes: app.reference.nationalities },
      languages: { codes: app.reference.languages },
    },
  });
  return Object.fromEntries(list.map((spec) => [spec.path, spec]));
}

/**
 * The form to correct a person: only the fields that differ from `values` become changes.
 * @param {{values: Object, error?: Object, onSave: function(Object): Promise}} options
 */
function changeForm({ values, error = null, onSave }) {
  const specs = editSpecs();
  const summary = errorSummary();
  const form = h(
    "form",
    { class: "form", dataset: { testid: "edit-form" }, novalidate: true },
    summary,
    sectionsRender([{ legend: _("Correct the details"), paths: EDIT_PATHS }], specs, values),
    codeList("nationalities", app.reference.nationalities),
    codeList("languages", app.reference.languages),
    h("div", { class: "actions actions--save" }, h("button", { type: "submit", class: "button button--primary button--large", dataset: { testid: "save-edit" } }, _("Save the correction"))),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const changes = changesOf(specs, values, formValues(form, Object.values(specs)));
    if (Object.keys(changes).length === 0) {
      errorsShow(form, { changes: [_("Nothing was changed.")] }, summary, labelOf);
      return;
    }
    if (!errorsShow(form, schemaErrors(app.reference.schemas.person_edit, changes, app.reference), summary, labelOf)) {
      await onSave(changes);
    }
  });
  if (error) {
    errorsShow(form, error.fields || {}, summary, labelOf);
  }
  return form;
}

/** The fields whose value differs from before (a cleared text is a change to ""; a cleared date is not sent). */
function changesOf(specs, before, after) {
  const changes = {};
  for (const path of Object.keys(specs)) {
    const empty = path === "languages" ? [] : path === "date_of_birth" || path === "sex" ? null : "";
    const old = valueAt(before, path) ?? empty;
    const now = after[path] ?? empty;
    if (JSON.stringify(old) !== JSON.stringify(now) && now !== null) {
      changes[path] = now;
    }
  }
  return changes;
}

function editForm(main, item) {
  return changeForm({ values: item.data, onSave: (changes) => editQueue(main, item, changes) });
}

/** Queue a change; one still waiting for the same person takes it instead (one base version). */
async function editQueue(main, item, changes) {
  const waiting = await waitingEdit(item.id);
  if (waiting) {
    const merged = { ...waiting.record, changes: { ...waiting.record.changes, ...changes } };
    await outboxRequeue(waiting.entry, merged, waiting.label);
  } else {
    const record = { id: newId(), kind: "person_edit", person: item.id, base_version: item.version, changes };
    const label = interpolate(_("Change to %(name)s"), { name: personName(item.data) });
    await queue([[record, { label, after: item.entry ? item.id : null }]]);
  }
  announce(_("Correction saved on this device."));
  await render(main, item.id, savedNotice(_("Correction saved on this device. It is sent with the next sync.")));
}

async function waitingEdit(personId) {
  for (const entry of await outboxEntries()) {
    if (entry.kind === "person_edit" && entry.status === "pending") {
      const opened = await outboxOpen(entry);
      if (opened.record.person === personId) {
        return { entry, ...opened };
      }
    }
  }
  return null;
}

/** A change from the outbox (refused, or waiting), to correct and send again. */
export function renderFix(main, entry, opened) {
  const { record, error } = opened;
  const form = changeForm({
    values: record.changes,
    error,
    onSave: async (changes) => {
      await outboxRequeue(entry, { ...record, changes: { ...record.changes, ...changes } }, opened.label);
      location.hash = "#/outbox";
    },
  });
  replace(main, h("section", { dataset: { screen: "edit-fix" } }, h("h1", {}, kindName("person_edit"), ": ", opened.label), rejectionNotice(error), form));
}
