// Customer search (by phone or name) and a customer's profile with their history.
import { api } from "./api.js";
import { field, h, money, status } from "./dom.js";
import { t } from "./i18n.js";

export async function search(ctx) {
  const phone = ctx.params.get("phone") || "";
  const name = ctx.params.get("name") || "";
  const found = phone || name ? (await api.get("/customers", phone ? { phone } : { name })).customers : null;
  const form = h(
    "form",
    { class: "card form-grid", "data-form": "customers" },
    field(t("field.phone"), h("input", { type: "tel", name: "phone", value: phone })),
    field(t("field.name"), h("input", { type: "text", name: "name", value: name })),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("customers.search"))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const by = data.get("phone").trim() ? `phone=${encodeURIComponent(data.get("phone").trim())}` : `name=${encodeURIComponent(data.get("name").trim())}`;
    ctx.go(`#/customers?${by}`);
  });
  return h(
    "section",
    { class: "screen", "data-screen": "customers" },
    h("h1", {}, t("customers.title")),
    form,
    found === null
      ? null
      : found.length
        ? h(
            "div",
            { class: "table-wrap" },
            h(
              "table",
              {},
              h("thead", {}, h("tr", {}, h("th", {}, t("field.name")), h("th", {}, t("field.phone")), h("th", {}, t("field.email")))),
              h(
                "tbody",
                {},
                found.map((c) =>
                  h(
                    "tr",
                    { "data-customer": c.id },
                    h("td", {}, h("a", { href: `#/customer/${c.id}` }, c.name)),
                    h("td", {}, c.phone),
                    h("td", {}, c.email || ""),
                  ),
                ),
              ),
            ),
          )
        : h("p", { class: "empty" }, t("customers.none")),
  );
}

export async function profile(ctx) {
  const p = await api.get(`/customers/${encodeURIComponent(ctx.id)}`);
  const figures = [
    ["customer.visits", p.visits],
    ["customer.spend", money(p.spend, p.currency)],
    ["customer.noShows", p.noShows],
    ["customer.cancellations", p.cancellations],
    ["customer.lateCancellations", p.lateCancellations],
    ["customer.owed", money(p.owed, p.currency)], // fees no payment covered: their next booking's payment settles them
    ["customer.upcoming", p.upcoming],
    ["customer.lastVisit", p.lastVisit ? p.lastVisit.slice(0, 10) : "—"],
  ];
  return h(
    "section",
    { class: "screen", "data-screen": "customer" },
    h("h1", {}, p.customer.name),
    h("p", {}, p.customer.phone, p.customer.email ? ` · ${p.customer.email}` : ""),
    h("div", { class: "figures" }, figures.map(([k, v]) => h("div", { class: "figure card", "data-figure": k }, h("b", {}, String(v)), h("span", {}, t(k))))),
    h("p", {}, h("a", { class: "button primary", href: `#/new?customer=${encodeURIComponent(p.customer.id)}` }, "+ ", t("nav.new"))),
    h("h2", {}, t("detail.history")),
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        {},
        h("thead", {}, h("tr", {}, ["field.when", "field.service", "field.staff", "field.status"].map((k) => h("th", {}, t(k))))),
        h(
          "tbody",
          {},
          (p.history || []).map((a) =>
            h(
              "tr",
              { "data-appointment": a.id },
              h("td", {}, h("a", { href: `#/appointment/${a.id}` }, `${a.date} ${a.timeSlot}`)),
              h("td", {}, a.serviceName),
              h("td", {}, a.staffName),
              h("td", {}, status(a.status)),
            ),
          ),
        ),
      ),
    ),
  );
}
