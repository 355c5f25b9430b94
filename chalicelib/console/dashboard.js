// The second seed's dashboard widgets: upcoming appointments, and the appointment stats.
import { api, here } from "./api.js";
import { bars } from "./charts.js";
import { h, percent, status } from "./dom.js";
import { t } from "./i18n.js";

export async function show() {
  const { upcoming, stats } = await api.get("/dashboard", here());
  const figures = [
    ["dashboard.week", stats.week.total],
    ["dashboard.month", stats.month.total],
    ["dashboard.completionRate", percent(stats.completionRate)],
    ["dashboard.noShowRate", percent(stats.noShowRate)],
  ];
  return h(
    "section",
    { class: "screen", "data-screen": "dashboard" },
    h("h1", {}, t("nav.dashboard")),
    h(
      "div",
      { class: "widgets" },
      h(
        "section",
        { class: "card", "data-widget": "upcoming" },
        h("h2", {}, t("dashboard.upcoming")),
        upcoming.length
          ? h(
              "div",
              { class: "table-wrap" },
              h(
                "table",
                {},
                h("thead", {}, h("tr", {}, ["field.customer", "field.type", "field.when", "field.operator", "field.status"].map((k) => h("th", {}, t(k))))),
                h(
                  "tbody",
                  {},
                  upcoming.map((a) =>
                    h(
                      "tr",
                      { "data-appointment": a.id },
                      h("td", {}, h("a", { href: `#/appointment/${a.id}` }, a.customer)),
                      h("td", {}, a.type),
                      h("td", {}, a.scheduledAt.slice(0, 16).replace("T", " ")),
                      h("td", {}, a.operator),
                      h("td", {}, status(a.status)),
                    ),
                  ),
                ),
              ),
            )
          : h("p", { class: "empty" }, t("dashboard.nothingUpcoming")),
      ),
      h(
        "section",
        { class: "card", "data-widget": "stats" },
        h("h2", {}, t("dashboard.stats")),
        h("div", { class: "figures" }, figures.map(([k, v]) => h("div", { class: "figure" }, h("b", {}, String(v)), h("span", {}, t(k))))),
        h("h3", {}, t("dashboard.popular")),
        bars(
          stats.popularTypes.map((p) => ({ label: p.name, value: p.count })),
          { title: t("dashboard.popular") },
        ),
      ),
    ),
  );
}
