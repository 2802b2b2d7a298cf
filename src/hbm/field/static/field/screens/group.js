/**
 * Group pre-registration: the token is made on the device before the form is shown, written
 * large so the officer can copy it onto the wristband, and stored with the group in the outbox.
 */
import { h, replace, announce } from "../dom.js";
import { codeList, errorsShow, formValues } from "../forms.js";
import { gettext as _, interpolate } from "../i18n.js";
import { labelOf } from "../labels.js";
import { newId, outboxRequeue } from "../outbox.js";
import { app, currentPoint, queue, offlineTooLong } from "../session.js";
import { tokenFormat, tokenGenerate } from "../tokens.js";
import { payloadErrors } from "../validate.js";
import { encounterNow, errorSummary, expiredNotice, rejectionNotice, screenHead, sectionsRender, specsOf } from "./common.js";

const PATHS = ["size", "head_name", "nationality"];

/** A new group. */
export async function render(main) {
  const point = currentPoint();
  const token = tokenGenerate();
  const form = groupForm({ token, values: {}, onSave: (payload) => saveNew(main, point, payload) });
  replace(main, h("section", { dataset: { screen: "group" } }, screenHead(_("Pre-register a group"), point), await expiredNotice(), form));
}

/** A group record from the outbox, to correct and send again (same id, same token). */
export function renderFix(main, entry, opened) {
  const { record, error } = opened;
  const form = groupForm({
    token: record.payload.token,
    values: record.payload,
    error,
    onSave: async (payload) => {
      const fixed = { ...record, payload };
      await outboxRequeue(entry, fixed, labelFor(payload));
      location.hash = "#/outbox";
    },
  });
  replace(main, h("section", { dataset: { screen: "group-fix" } }, h("h1", {}, _("Correct a group")), rejectionNotice(error), form));
}

function specs() {
  const list = specsOf(app.reference.schemas.group, PATHS, {
    reference: app.reference,
    required: new Set(app.reference.schemas.group.required),
    extras: { size: { autofocus: true }, nationality: { codes: app.reference.nationalities } },
  });
  return Object.fromEntries(list.map((spec) => [spec.path, spec]));
}

function groupForm({ token, values, error, onSave }) {
  const bySpec = specs();
  const summary = errorSummary();
  const form = h(
    "form",
    { class: "form", dataset: { testid: "group-form" }, novalidate: true },
    tokenCard(token),
    summary,
    sectionsRender([{ paths: PATHS }], bySpec, values),
    codeList("nationalities", app.reference.nationalities),
    h("div", { class: "actions actions--save" }, h("button", { type: "submit", class: "button button--primary button--large", dataset: { testid: "save-group" } }, _("Save the group"))),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (await offlineTooLong()) {
      errorsShow(form, { payload: [_("Connect and sync first: this device has been offline too long.")] }, summary, labelOf);
      return;
    }
    const payload = { ...formValues(form, Object.values(bySpec)), token, encounter: values.encounter || encounterNow(currentPoint()) };
    const errors = payloadErrors(app.reference, "group", payload);
    if (!errorsShow(form, errors, summary, labelOf)) {
      await onSave(payload);
    }
  });
  if (error) {
    errorsShow(form, error.fields || {}, summary, labelOf);
  }
  return form;
}

function tokenCard(token) {
  return h(
    "div",
    { class: "token-card field-token" },
    h("div", {}, h("p", { class: "eyebrow" }, _("Token of this group: write it on the wristband")), h("p", { class: "token-card__token", dataset: { testid: "token" } }, tokenFormat(token))),
  );
}

function labelFor(payload) {
  return `${tokenFormat(payload.token)} · ${payload.head_name}`;
}

async function saveNew(main, point, payload) {
  const record = { id: newId(), kind: "group", crossing_point: point.id, payload };
  await queue([[record, { label: labelFor(payload) }]]);
  app.memberOf = { token: payload.token, after: record.id, size: payload.size, registered: 0, head: payload.head_name };
  announce(interpolate(_("Group saved on this device. Token %(token)s."), { token: tokenFormat(payload.token) }));
  replace(
    main,
    h(
      "section",
      { dataset: { screen: "group-saved" } },
      h("p", { class: "notice notice--saved", role: "status", dataset: { testid: "saved" } }, _("Saved on this device. It is sent when there is a network.")),
      h(
        "div",
        { class: "token-card token-card--large" },
        h(
          "div",
          {},
          h("p", { class: "token-card__token", dataset: { testid: "saved-token" } }, tokenFormat(payload.token)),
          h("dl", { class: "token-card__facts" }, h("dt", {}, labelOf("head_name")), h("dd", {}, payload.head_name), h("dt", {}, labelOf("size")), h("dd", {}, String(payload.size))),
        ),
      ),
      h(
        "div",
        { class: "actions" },
        h("a", { class: "button button--primary button--large", href: "#/person", dataset: { testid: "register-members" } }, _("Register its members")),
        h("a", { class: "button button--large", href: "#/group", dataset: { testid: "next-group" }, on: { click: () => nextGroup(main) } }, _("Next group")),
      ),
    ),
  );
  main.querySelector('[data-testid="register-members"]').focus();
}

/** "Next group" on the group screen itself: the address does not change, so draw it again. */
function nextGroup(main) {
  if (location.hash === "#/group") {
    render(main).then(() => main.querySelector("input")?.focus());
  }
}
