/**
 * The outbox: records to fix first (with the server's reason beside each field), then those
 * waiting to be sent, then those the server took today. A refused record never holds the others
 * back; it waits here until the officer corrects it (it is then sent again with the same id)
 * or discards it.
 */
import { h, replace } from "../dom.js";
import { formatMoment, gettext as _, interpolate, ngettext } from "../i18n.js";
import { kindName, labelOf } from "../labels.js";
import { outboxEntries, outboxOpen } from "../outbox.js";

const ORDER = { rejected: 0, pending: 1, sending: 1, sent: 2 };

export async function render(main) {
  const today = new Date().toDateString();
  const entries = (await outboxEntries()).filter((entry) => entry.status !== "sent" || new Date(entry.sentAt).toDateString() === today);
  entries.sort((a, b) => ORDER[a.status] - ORDER[b.status] || (a.status === "sent" ? b.sentAt - a.sentAt : a.seq - b.seq));
  const rows = [];
  for (const entry of entries) {
    rows.push(row(entry, await outboxOpen(entry)));
  }
  const rejected = entries.filter((entry) => entry.status === "rejected").length;
  replace(
    main,
    h(
      "section",
      { dataset: { screen: "outbox" } },
      h("h1", {}, _("Outbox")),
      rejected
        ? h("p", { class: "notice notice--refused" }, interpolate(ngettext("%(count)s record was refused by the server: open it, correct it, and it is sent again.", "%(count)s records were refused by the server: open each, correct it, and it is sent again.", rejected), { count: rejected }))
        : null,
      rows.length ? h("ul", { class: "outbox-list", dataset: { testid: "outbox-list" } }, rows) : h("p", { dataset: { testid: "outbox-empty" } }, _("Nothing waits to be sent.")),
    ),
  );
}

function row(entry, opened) {
  const status = {
    rejected: _("refused: to fix"),
    pending: _("waiting"),
    sending: _("being sent"),
    sent: interpolate(_("sent %(when)s"), { when: formatMoment(entry.sentAt) }),
  }[entry.status];
  return h(
    "li",
    { class: `outbox-item card outbox-item--${entry.status}`, dataset: { testid: "outbox-item", status: entry.status, kind: entry.kind, id: entry.id } },
    h("div", { class: "outbox-item__head" }, h("strong", {}, kindName(entry.kind)), " ", h("span", { dir: "auto" }, opened.label), h("span", { class: `state state--${entry.status}` }, status)),
    h("p", { class: "hint" }, interpolate(_("Made %(when)s"), { when: formatMoment(entry.createdAt) })),
    opened.error ? reasons(opened.error) : null,
    entry.status === "rejected" || entry.status === "pending"
      ? h("a", { class: "button button--small", href: `#/entry/${entry.id}`, dataset: { testid: "open-entry" } }, entry.status === "rejected" ? _("Open and fix") : _("Open"))
      : null,
  );
}

/** The server's reason: its message and, field by field, what is wrong. */
function reasons(error) {
  const fields = Object.entries(error.fields || {});
  return h(
    "div",
    { class: "reason", dataset: { testid: "reason" } },
    h("p", {}, error.message),
    fields.length ? h("ul", {}, fields.map(([path, messages]) => h("li", { dataset: { path } }, h("strong", {}, labelOf(path)), ": ", messages.join(" ")))) : null,
  );
}
