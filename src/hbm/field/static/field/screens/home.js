/** The start screen: what can be done at this crossing point in its mode, as large buttons. */
import { modeName } from "../chrome.js";
import { h, replace } from "../dom.js";
import { gettext as _, interpolate } from "../i18n.js";
import { currentPoint } from "../session.js";
import { expiredNotice } from "./common.js";

export async function render(main) {
  const point = currentPoint();
  const tiers = new Set(point?.policy.tiers || []);
  const tiles = [
    tiers.has("count") && tile("#/count", _("Count people"), _("Numbers by sex and age, when there is no time for more."), "count"),
    tiers.has("group") && tile("#/group", _("Pre-register a group"), _("A family or travel group gets a token for its wristband."), "group"),
    tiers.has("individual") && tile("#/person", _("Register a person"), _("The details this mode asks for, and a photo."), "person"),
    tile("#/lookup", _("Look up"), _("Find a person by name or group token, and correct details."), "lookup"),
    tile("#/outbox", _("Outbox"), _("What waits to be sent, and what to fix."), "outbox"),
  ];
  replace(
    main,
    h(
      "section",
      { dataset: { screen: "home" } },
      h("h1", {}, point ? point.name : _("No crossing point")),
      point ? h("p", { class: "lead" }, interpolate(_("Mode: %(mode)s."), { mode: modeName(point.mode) })) : h("p", { class: "notice notice--refused" }, _("You are not posted at any crossing point: ask a coordinator.")),
      await expiredNotice(),
      h("ul", { class: "tiles" }, tiles.filter(Boolean).map((item) => h("li", {}, item))),
    ),
  );
}

function tile(href, title, text, name) {
  return h("a", { class: "tile", href, dataset: { testid: `tile-${name}` } }, h("span", { class: "tile__title" }, title), h("span", { class: "tile__text" }, text));
}
