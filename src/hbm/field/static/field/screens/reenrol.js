/**
 * Signing in again on a device whose token was revoked (it was lost, then found): the officer's
 * password gets the device a new token, and what it holds is sent under it. The PIN stays.
 */
import { h, replace } from "../dom.js";
import { gettext as _ } from "../i18n.js";
import { app, signInAgain } from "../session.js";
import { input, messageOf, showProblem } from "./signin.js";

export function render(main) {
  const problem = h("div", { class: "notice notice--refused", role: "alert", tabindex: "-1", hidden: true });
  const form = h(
    "form",
    { class: "form card", on: { submit: (event) => submitted(event, form, problem) } },
    problem,
    input("username", _("Username"), { autocomplete: "username", autofocus: true, autocapitalize: "none", value: app.device.user.username }),
    input("password", _("Password"), { type: "password", autocomplete: "current-password" }),
    input("device_name", _("Name of this device"), { value: app.device.name || "" }),
    h("div", { class: "actions actions--save" }, h("button", { type: "submit", class: "button button--primary button--large" }, _("Sign in"))),
  );
  replace(
    main,
    h(
      "section",
      { class: "page--narrow", dataset: { screen: "reenrol" } },
      h("h1", {}, _("Sign in again")),
      h("p", { class: "lead" }, _("This device's access was withdrawn. Signing in again gives it a new one; the records it holds are then sent.")),
      form,
    ),
  );
}

async function submitted(event, form, problem) {
  event.preventDefault();
  const values = Object.fromEntries(new FormData(form));
  try {
    await signInAgain({ username: values.username.trim(), password: values.password, deviceName: values.device_name.trim() || app.device.name });
    location.hash = "#/outbox";
  } catch (error) {
    showProblem(problem, messageOf(error));
  }
}
