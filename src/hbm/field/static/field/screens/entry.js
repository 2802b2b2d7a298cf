/**
 * One record of the outbox (#/entry/<id>), opened to be corrected before it is sent (again):
 * the form of its kind, filled in, with the server's reasons beside the fields.
 */
import { h, replace } from "../dom.js";
import { remove } from "../db.js";
import { gettext as _ } from "../i18n.js";
import { kindName } from "../labels.js";
import { outboxEntries, outboxEntry, outboxOpen, outboxRequeue } from "../outbox.js";
import { changed } from "../session.js";
import * as count from "./count.js";
import * as group from "./group.js";
import * as lookup from "./lookup.js";
import * as person from "./person.js";
import { rejectionNotice } from "./common.js";

const FIXERS = { count, group, person, person_edit: lookup };

export async function render(main, id) {
  const entry = await outboxEntry(id);
  if (!entry || !(entry.status === "pending" || entry.status === "rejected")) {
    replace(main, h("section", { dataset: { screen: "entry" } }, h("p", {}, _("This record is no longer waiting: the server has it.")), h("a", { href: "#/outbox" }, _("Back to the outbox"))));
    return;
  }
  const opened = await outboxOpen(entry);
  if (FIXERS[entry.kind]) {
    FIXERS[entry.kind].renderFix(main, entry, opened);
  } else {
    replace(main, h("section", { dataset: { screen: "entry" } }, h("h1", {}, kindName(entry.kind), ": ", opened.label), rejectionNotice(opened.error), sendAgain(entry, opened)));
  }
  main.querySelector("section").append(discardButton(entry));
}

/** A record with nothing to type (a photo): send it again as it is. */
function sendAgain(entry, opened) {
  const again = async () => {
    await outboxRequeue(entry, opened.record, opened.label);
    location.hash = "#/outbox";
  };
  return h("div", { class: "actions" }, h("button", { type: "button", class: "button button--primary", on: { click: again } }, _("Send again")));
}

/** Give up a record, with whatever must follow it (the photo and changes of a person). */
function discardButton(entry) {
  const discard = async () => {
    if (!window.confirm(_("Discard this record? It will never reach the server."))) {
      return;
    }
    const followers = (await outboxEntries()).filter((other) => other.after === entry.id && other.status !== "sent");
    for (const item of [entry, ...followers]) {
      await remove("outbox", item.id);
    }
    changed("outbox");
    location.hash = "#/outbox";
  };
  return h("div", { class: "actions" }, h("button", { type: "button", class: "button button--danger", dataset: { testid: "discard" }, on: { click: discard } }, _("Discard this record")));
}
