// The analytics reports as charts: bookings per day, service popularity, staff utilization, revenue.
import { api, here } from "./api.js";
import { bars, columns } from "./charts.js";
import { h, money, percent, select } from "./dom.js";
import { t } from "./i18n.js";

const PERIODS = ["7d", "30d", "90d", "365d"];

export async function show(ctx) {
  const period = PERIODS.includes(ctx.params.get("period")) ? ctx.params.get("period") : "30d";
  const [{ metrics }, { popularity }, { utilization }, { revenue }] = await Promise.all(
    ["bookings", "services", "staff", "revenue"].map((report) => api.get(`/appointments/analytics/${report}`, { period, ...here() })),
  );
  const cash = (v) => money(v, revenue.currency);
  const figures = [
    ["analytics.total", metrics.total],
    ["dashboard.completionRate", percent(metrics.completionRate)],
    ["dashboard.noShowRate", percent(metrics.noShowRate)],
    ["analytics.cancellationRate", percent(metrics.cancellationRate)],
    ["analytics.averageValue", cash(metrics.averageBookingValue)],
    ["analytics.net", cash(revenue.net)],
  ];
  const chart = (key, svg) => h("section", { class: "card", "data-chart": key }, h("h2", {}, t(`analytics.${key}`)), svg);
  return h(
    "section",
    { class: "screen", "data-screen": "analytics" },
    h("h1", {}, t("nav.analytics")),
    h(
      "div",
      { class: "toolbar" },
      h("label", { class: "field" }, h("span", {}, t("analytics.period")),
        select("period", PERIODS.map((p) => [p, t(`period.${p}`)]), period, { onchange: (e) => ctx.go(`#/analytics?period=${e.target.value}`) })),
    ),
    h("div", { class: "figures" }, figures.map(([k, v]) => h("div", { class: "figure card" }, h("b", {}, String(v)), h("span", {}, t(k))))),
    h(
      "div",
      { class: "charts" },
      chart("bookingsPerDay", columns(metrics.daily.map((d) => ({ label: d.date.slice(5), value: d.total })), { title: t("analytics.bookingsPerDay") })),
      chart("revenuePerDay", columns(revenue.daily.map((d) => ({ label: d.date.slice(5), value: d.net })), { title: t("analytics.revenuePerDay"), format: (v) => Math.round(v).toString() })),
      chart("servicePopularity", bars(popularity.map((p) => ({ label: p.name, value: p.bookings, note: percent(p.share) })), { title: t("analytics.servicePopularity") })),
      chart("staffUtilization", bars(utilization.map((u) => ({ label: u.name, value: u.utilization })), { title: t("analytics.staffUtilization"), max: 100, format: percent })),
    ),
  );
}
