/**
 * What stays on screen around every screen: the top bar (crossing point, officer, language,
 * lock, sign out) and the sync strip (online or not, outbox counts, last sync, "Sync now").
 */
import { h, replace } from "./dom.js";
import { metaGet } from "./db.js";
import { formatMoment, gettext as _, interpolate, languageCode, ngettext } from "./i18n.js";
import { outboxCounts, outboxEntries } from "./outbox.js";
import { app, currentPoint, languageUse, lockNow, pointChoose, signOut, syncNow, unsentCount, changed } from "./session.js";
import { isUnlocked } from "./vault.js";

/** The top bar. */
export function topbarRender() {
  const bar = document.getElementById("topbar");
  const unlocked = isUnlocked() && app.device;
  replace(
    bar,
    h("a", { class: "brand", href: "#/" }, h("span", { class: "brand__mark", "aria-hidden": "true" }, "◆"), " HBM ", h("span", { class: "brand__app" }, _("field"))),
    unlocked ? pointSwitcher() : null,
    h(
      "div",
      { class: "topbar__end" },
      unlocked ? h("span", { class: "topbar__user", dataset: { testid: "officer" } }, h("span", { class: "topbar__username" }, app.device.user.display_name)) : null,
      unlocked ? h("button", { type: "button", class: "button button--quiet", dataset: { testid: "lock" }, on: { click: lockNow } }, _("Lock")) : null,
      unlocked ? h("button", { type: "button", class: "button button--quiet", dataset: { testid: "sign-out" }, on: { click: signOutAsked } }, _("Sign out")) : null,
      languageSwitcher(),
    ),
  );
}

function pointSwitcher() {
  const points = app.reference?.crossing_points || [];
  const current = currentPoint();
  if (points.length <= 1) {
    return current ? h("span", { class: "topbar__point", dataset: { testid: "point" } }, current.name, " ", modeBadge(current.mode)) : null;
  }
  const select = h(
    "select",
    { class: "topbar__select", "aria-label": _("Crossing point"), dataset: { testid: "point" }, on: { change: (event) => pointChoose(event.target.value) } },
    points.map((point) => h("option", { value: point.id, selected: point.id === current?.id }, point.name)),
  );
  return h("span", { class: "topbar__point" }, select, current ? modeBadge(current.mode) : null);
}

const MODE_NAMES = () => ({ normal: _("Normal"), emergency: _("Emergency"), recovery: _("Recovery") });

/** The name of a crossing point's mode in the active language. */
export function modeName(mode) {
  return MODE_NAMES()[mode] || mode;
}

function modeBadge(mode) {
  return h("span", { class: `badge badge--${mode}`, dataset: { testid: "mode-badge", mode } }, modeName(mode));
}

function languageSwitcher() {
  return h(
    "div",
    { class: "language-switcher", role: "group", "aria-label": _("Language") },
    app.config.languages.map((language) =>
      h(
        "button",
        {
          type: "button",
          lang: language.code,
          class: "language-switcher__choice",
          id: `language-${language.code}`,
          dataset: { testid: `language-${language.code}` },
          "aria-current": language.code === languageCode() ? "true" : null,
          on: { click: () => languageUse(language.code).then(() => changed("language")) },
        },
        language.name,
      ),
    ),
  );
}

async function signOutAsked() {
  const unsent = await unsentCount();
  if (unsent > 0) {
    app.sync.message = interpolate(
      ngettext(
        "You cannot sign out: %(count)s record is not on the server yet. Sync first (and fix rejected records).",
        "You cannot sign out: %(count)s records are not on the server yet. Sync first (and fix rejected records).",
        unsent,
      ),
      { count: unsent },
    );
    app.sync.messageKind = "refused";
    changed("status");
    return;
  }
  if (window.confirm(_("Sign out and remove everything this app keeps on this device?"))) {
    await signOut();
    location.hash = "#/";
    location.reload();
  }
}

/** The sync strip: shown once the app is unlocked. */
export async function statusRender() {
  const strip = document.getElementById("status");
  if (!isUnlocked() || !app.device) {
    strip.hidden = true;
    return;
  }
  const counts = outboxCounts(await outboxEntries());
  const lastSync = await metaGet("lastSyncAt");
  const online = navigator.onLine;
  strip.hidden = false;
  strip.dataset.syncs = String(app.sync.completed);
  strip.dataset.running = String(app.sync.running);
  replace(
    strip,
    h(
      "div",
      { class: "field-status__inner" },
      h("span", { class: `connection connection--${online ? "online" : "offline"}`, dataset: { testid: "connection", online: String(online) } }, online ? _("Online") : _("Offline")),
      h(
        "a",
        { class: "outbox-counts", href: "#/outbox", dataset: { testid: "outbox-counts" } },
        counter("pending", counts.pending, _("waiting")),
        counter("rejected", counts.rejected, _("to fix")),
        counter("sent", counts.sentToday, _("sent today")),
      ),
      h("span", { class: "last-sync", dataset: { testid: "last-sync" } }, lastSync ? interpolate(_("Last sync: %(when)s"), { when: formatMoment(lastSync) }) : _("Never synced")),
      h(
        "button",
        {
          type: "button",
          class: "button button--primary",
          dataset: { testid: "sync-now" },
          disabled: app.sync.running || !online,
          on: { click: () => syncNow({ refresh: true }) },
        },
        app.sync.running ? _("Syncing…") : _("Sync now"),
      ),
    ),
    app.sync.message
      ? h(
          "p",
          { class: "notice notice--refused", role: "alert", dataset: { testid: "sync-message", kind: app.sync.messageKind } },
          app.sync.message,
          app.sync.messageKind === "revoked" ? [" ", h("a", { href: "#/reenrol", dataset: { testid: "sign-in-again" } }, _("Sign in again to send what this device holds"))] : null,
        )
      : null,
  );
}

function counter(name, value, label) {
  return h("span", { class: `counter counter--${name}${value ? " counter--nonzero" : ""}`, dataset: { testid: `count-${name}`, value: String(value) } }, h("strong", {}, String(value)), " ", label);
}
