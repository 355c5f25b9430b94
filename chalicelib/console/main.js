// The console's shell: header, language, sign-in and a hash router (#/today, #/appointment/<id>, ...).
import * as analytics from "./analytics.js";
import { allLocations, session } from "./api.js";
import * as appointments from "./appointments.js";
import * as calendar from "./calendar.js";
import * as customers from "./customers.js";
import * as dashboard from "./dashboard.js";
import { clearNotice, h, showError } from "./dom.js";
import { LANGUAGES, lang, setLang, t } from "./i18n.js";
import * as settings from "./settings.js";
import * as signin from "./signin.js";
import * as webhooks from "./webhooks.js";

const SCREENS = {
  today: calendar.day,
  week: calendar.week,
  appointments: appointments.list,
  appointment: appointments.detail,
  new: appointments.create,
  customers: customers.search,
  customer: customers.profile,
  dashboard: dashboard.show,
  analytics: analytics.show,
  settings: settings.show,
  webhooks: webhooks.show,
};
const NAV = [
  ["today", "nav.today"],
  ["week", "nav.week"],
  ["appointments", "nav.appointments"],
  ["new", "nav.new"],
  ["customers", "nav.customers"],
  ["dashboard", "nav.dashboard"],
  ["analytics", "nav.analytics"],
  ["settings", "nav.settings", "admin"],
  ["webhooks", "nav.webhooks", "admin"],
];

let rendering = 0;
let keepNotice = false;

function route() {
  const [path, search] = location.hash.replace(/^#\/?/, "").split("?");
  const [name, id] = path.split("/");
  return { name: SCREENS[name] ? name : "today", id: id && decodeURIComponent(id), params: new URLSearchParams(search || "") };
}

const ctx = (current) => ({
  ...current,
  // after an action: go on keeping what the notice says
  go(hash) {
    keepNotice = true;
    if (location.hash === hash) render();
    else location.hash = hash;
  },
  refresh: () => render(),
});

// Where the desk works, when the business has more than one location: every screen shows that location's.
function locationPicker(places) {
  if (places.length < 2) return null;
  const known = places.some((p) => p.id === session.location) ? session.location : "";
  return h(
    "select",
    {
      id: "location",
      "aria-label": t("location.pick"),
      value: known || "main",
      onchange: (e) => ((session.location = e.target.value === "main" ? "" : e.target.value), render()),
    },
    places.map((p) => h("option", { value: p.id }, p.name)),
  );
}

function header(current, places) {
  const who = session.token ? session.who : null;
  const language = h(
    "select",
    { id: "language", "aria-label": t("language"), value: lang(), onchange: (e) => (setLang(e.target.value), render()) },
    LANGUAGES.map(([code, name]) => h("option", { value: code }, name)),
  );
  document.getElementById("top").replaceChildren(
    h("a", { class: "brand", href: "#/today" }, "Slotbook"),
    who
      ? h(
          "nav",
          { class: "main-nav" },
          NAV.filter(([, , role]) => !role || who.role === role).map(([name, key]) => h("a", { href: `#/${name}`, class: current.name === name ? "active" : "", "data-nav": name }, t(key))),
        )
      : h("span", { class: "main-nav" }),
    h(
      "div",
      { class: "who" },
      who ? locationPicker(places) : null,
      language,
      who ? h("span", { class: "muted" }, who.name || "") : null,
      who
        ? h("button", { type: "button", "data-action": "sign-out", onclick: () => (session.end(), clearNotice(), render()) }, t("signin.out"))
        : null,
    ),
  );
}

async function render() {
  const mine = ++rendering;
  const current = route();
  document.documentElement.lang = lang();
  document.title = `Slotbook · ${t("title")}`;
  header(current, session.token ? await allLocations().catch(() => []) : []);
  if (mine !== rendering) return;
  const view = document.getElementById("view");
  if (!session.token) {
    view.replaceChildren(signin.screen(() => render()));
    return;
  }
  view.setAttribute("aria-busy", "true");
  try {
    const screen = await SCREENS[current.name](ctx(current));
    if (mine === rendering) view.replaceChildren(screen);
  } catch (error) {
    if (mine !== rendering) return;
    view.replaceChildren(h("p", { class: "empty" }, t("loadFailed")));
    showError(error);
    if (error.status === 401) {
      session.end(); // expired or from another stage: back to sign-in, the reason still shown
      render();
    }
  } finally {
    if (mine === rendering) view.removeAttribute("aria-busy");
  }
}

window.addEventListener("hashchange", () => {
  if (!keepNotice) clearNotice();
  keepNotice = false;
  render();
});
render();
