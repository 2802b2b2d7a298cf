/**
 * Individual registration, as the crossing point's mode asks (its policy), with a photo taken
 * on the device and made small before it is stored. Members of a group just pre-registered get
 * its token filled in, one after the other.
 */
import { announce, h, replace } from "../dom.js";
import { codeList, errorsShow, formValues } from "../forms.js";
import { gettext as _, interpolate } from "../i18n.js";
import { labelOf } from "../labels.js";
import { newId, outboxRequeue } from "../outbox.js";
import { photoDownscale } from "../photo.js";
import { app, currentPoint, offlineTooLong, queue } from "../session.js";
import { tokenFormat } from "../tokens.js";
import { payloadErrors } from "../validate.js";
import { encounterNow, errorSummary, expiredNotice, personName, rejectionNotice, screenHead, sectionsRender, specsOf } from "./common.js";

const NAMES = ["surname_latin", "given_names_latin", "surname_original", "given_names_original"];
const PARENTS = ["father_name", "mother_name"];
const BIRTH = ["date_of_birth", "birth_year", "estimated_age"];
const DOCUMENT = ["documents.0.kind", "documents.0.document_number", "documents.0.issuing_state", "documents.0.date_of_expiry", "documents.0.is_damaged", "no_document_reason"];
const MORE = ["place_of_birth", "languages"];
const PATHS = [...NAMES, ...PARENTS, "sex", ...BIRTH, "nationality", ...MORE, "group_token", "relationship", "specific_needs", ...DOCUMENT];

/** A new person (a member of the group being registered, if there is one). */
export async function render(main, notice = null) {
  const point = currentPoint();
  const member = app.memberOf || null;
  const values = member ? { group_token: member.token, relationship: member.registered === 0 ? "head" : undefined } : {};
  const photo = photoPicker();
  const form = personForm({
    point,
    values,
    photo,
    onSave: (payload) => saveNew(main, point, payload, photo),
  });
  replace(
    main,
    h(
      "section",
      { dataset: { screen: "person" } },
      screenHead(_("Register a person"), point),
      notice,
      await expiredNotice(),
      member ? memberNotice(main, member) : null,
      form,
    ),
  );
}

/** A person record from the outbox, to correct and send again (same id). */
export function renderFix(main, entry, opened) {
  const { record, error } = opened;
  const point = (app.reference.crossing_points || []).find((item) => item.id === record.crossing_point) || currentPoint();
  const form = personForm({
    point,
    values: record.payload,
    error,
    onSave: async (payload) => {
      await outboxRequeue(entry, { ...record, payload }, personName(payload));
      location.hash = "#/outbox";
    },
  });
  replace(main, h("section", { dataset: { screen: "person-fix" } }, h("h1", {}, _("Correct a registration")), rejectionNotice(error), form));
}

function memberNotice(main, member) {
  const stop = () => {
    app.memberOf = null;
    render(main);
  };
  return h(
    "div",
    { class: "notice member-notice", dataset: { testid: "member-of" } },
    interpolate(_("Members of group %(token)s (%(head)s): %(done)s of %(size)s registered."), {
      token: tokenFormat(member.token),
      head: member.head,
      done: member.registered,
      size: member.size,
    }),
    " ",
    h("button", { type: "button", class: "button button--small", on: { click: stop } }, _("Stop: next person is not in this group")),
  );
}

function specs(point) {
  const policy = point.policy;
  const schema = app.reference.schemas.person;
  const logical = app.reference.policy_fields;
  // A policy field that is one input is marked on the input; one of several, on its section.
  const single = policy.required.filter((name) => (logical[name] || [name]).length === 1).map((name) => logical[name]?.[0] || name);
  const list = specsOf(schema, PATHS, {
    reference: app.reference,
    required: new Set([...schema.required, ...single]),
    extras: {
      surname_latin: { autofocus: true },
      sex: { widget: "radios" },
      nationality: { codes: app.reference.nationalities },
      "documents.0.issuing_state": { codes: app.reference.nationalities },
      languages: { codes: app.reference.languages },
    },
  });
  return Object.fromEntries(list.map((spec) => [spec.path, spec]));
}

function sections(policy) {
  const requires = (name) => policy.required.includes(name);
  return [
    { legend: _("Names"), required: requires("names"), hint: _("As the person writes them, and in Latin letters. A surname or a given name in Latin letters is required."), paths: NAMES },
    { legend: _("Parents"), hint: _("First name first, as the person says them. They tell apart people with the same name."), paths: PARENTS },
    { paths: ["sex"] },
    {
      legend: _("Birth"),
      required: requires("birth"),
      hint: policy.estimated_age_allowed ? _("Give exactly one: the date of birth, or only the year, or an estimated age.") : _("Give exactly one: the date of birth, or only the year (an estimated age only for a person without a document)."),
      paths: BIRTH,
    },
    { paths: ["nationality"] },
    { legend: _("Place of birth and languages"), details: true, open: requires("place_of_birth") || requires("languages"), paths: MORE },
    { legend: _("Group"), paths: ["group_token", "relationship"] },
    { paths: ["specific_needs"] },
    { legend: _("Document"), details: true, open: policy.document_required, required: policy.document_required, hint: _("An expired or damaged document is recorded as such: it is never a reason to refuse registration."), paths: DOCUMENT },
  ];
}

function personForm({ point, values, error = null, photo = null, onSave }) {
  const bySpec = specs(point);
  const summary = errorSummary();
  const form = h(
    "form",
    { class: "form", id: "person-form", dataset: { testid: "person-form" }, novalidate: true },
    summary,
    sectionsRender(sections(point.policy), bySpec, values),
    photo ? photo.element : null,
    codeList("nationalities", app.reference.nationalities),
    codeList("languages", app.reference.languages),
    h("div", { class: "actions actions--save" }, h("button", { type: "submit", class: "button button--primary button--large", dataset: { testid: "save-person" } }, _("Save"))),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (await offlineTooLong()) {
      errorsShow(form, { payload: [_("Connect and sync first: this device has been offline too long.")] }, summary, labelOf);
      return;
    }
    const payload = { ...formValues(form, Object.values(bySpec)), encounter: values.encounter || encounterNow(point) };
    const errors = payloadErrors(app.reference, "person", payload, point);
    if (!errorsShow(form, errors, summary, labelOf)) {
      await onSave(payload);
    }
  });
  if (error) {
    errorsShow(form, error.fields || {}, summary, labelOf);
  }
  return form;
}

async function saveNew(main, point, payload, photo) {
  const record = { id: newId(), kind: "person", crossing_point: point.id, payload };
  const name = personName(payload);
  const member = app.memberOf && payload.group_token === app.memberOf.token ? app.memberOf : null;
  const items = [[record, { label: name, after: member?.after }]];
  const picture = await photo.result();
  if (picture) {
    items.push([{ id: newId(), kind: "photo", person: record.id }, { label: interpolate(_("Photo of %(name)s"), { name }), after: record.id, photo: picture }]);
  }
  await queue(items);
  if (member) {
    member.registered += 1;
    app.memberOf = member.registered >= member.size ? null : member;
  }
  const text = interpolate(_("Saved on this device: %(name)s."), { name });
  announce(text);
  await render(main, h("p", { class: "notice notice--saved", role: "status", dataset: { testid: "saved" } }, text));
  main.querySelector("[autofocus]")?.focus();
}

/** The photo field: the camera's picture is made small as soon as it is taken. */
function photoPicker() {
  const limits = { maxSide: app.reference.limits.photo_max_side_px, maxBytes: app.reference.limits.photo_max_bytes };
  const preview = h("div", { class: "photo-preview", dataset: { testid: "photo-preview" } });
  let pending = Promise.resolve(null);
  const input = h("input", { type: "file", id: "f-photo", name: "photo", accept: "image/*", capture: "environment", dataset: { testid: "photo-input" } });
  input.addEventListener("change", () => {
    const file = input.files[0];
    replace(preview, file ? _("Making the photo smaller…") : "");
    pending = file ? photoDownscale(file, limits).then((jpeg) => showPreview(preview, jpeg)) : Promise.resolve(null);
  });
  const element = h(
    "div",
    { class: "field", dataset: { path: "photo" }, id: "f-photo-field" },
    h("label", { for: "f-photo" }, labelOf("photo")),
    h("p", { class: "hint" }, _("Take it with the camera; it is made smaller on this device before it is stored.")),
    h("div", { class: "field-error", hidden: true }),
    input,
    preview,
  );
  return { element, result: () => pending };
}

function showPreview(preview, jpeg) {
  const url = URL.createObjectURL(jpeg);
  replace(
    preview,
    h("img", { src: url, alt: _("The photo as it will be stored"), class: "person-photo", on: { load: () => URL.revokeObjectURL(url) } }),
    h("span", { dataset: { testid: "photo-ready", bytes: String(jpeg.size) } }, interpolate(_("%(size)s KB, ready."), { size: Math.ceil(jpeg.size / 1024) })),
  );
  return jpeg;
}
