// Each service's deposit (Settings, admin only): none of its own (the business's percent), a fixed amount or a
// percent of its price, asked when the business's deposit policy asks one of the customer.
import { api } from "./api.js";
import { act, h, money, select, showDone } from "./dom.js";
import { t } from "./i18n.js";

const KINDS = ["", "amount", "percent"]; // "": the business's depositPercent

// The deposit as the API answers and takes it: null, {amount} or {percent}.
function rule(kind, raw) {
  if (!kind) return null;
  return { [kind]: raw.trim() === "" ? raw : Number(raw) }; // a number as such: the server refuses "30"
}

function depositPicker(s) {
  const now = s.deposit ? Object.keys(s.deposit)[0] : "";
  const kind = select("depositKind", KINDS.map((k) => [k, t(`deposit.kind.${k || "business"}`)]), now, { "aria-label": t("deposit.kind") });
  const value = h("input", {
    type: "number",
    name: "depositValue",
    min: 0,
    step: "any",
    value: now ? s.deposit[now] : "",
    hidden: !now,
    "aria-label": t("deposit.value"),
  });
  kind.addEventListener("change", () => (value.hidden = !kind.value));
  return { element: h("div", { class: "inline" }, kind, value), read: () => rule(kind.value, value.value) };
}

function described(deposit, currency) {
  if (!deposit) return t("deposit.kind.business");
  return deposit.amount !== undefined ? money(deposit.amount, currency) : `${deposit.percent}%`;
}

export function deposits(services) {
  const rows = services.map((s) => {
    const picker = depositPicker(s);
    const save = h(
      "button",
      {
        type: "button",
        "data-action": "save-deposit",
        onclick: (e) =>
          act(e.currentTarget, async () => {
            const { service } = await api.put(`/admin/services/${encodeURIComponent(s.id)}`, { deposit: picker.read() });
            showDone(t("deposit.saved", { name: service.name, deposit: described(service.deposit, service.currency) }));
          }),
      },
      t("deposit.save"),
    );
    return h(
      "tr",
      { "data-service": s.id },
      h("td", {}, s.name),
      h("td", {}, s.duration),
      h("td", {}, money(s.price, s.currency), s.requiresPayment ? h("small", { class: "muted" }, ` · ${t("deposit.prepaid")}`) : null),
      h("td", {}, picker.element),
      h("td", {}, save),
    );
  });
  const head = ["field.service", "field.duration", "deposit.price", "deposit.title"].map((k) => h("th", {}, t(k)));
  return h(
    "div",
    { class: "card", "data-card": "deposits" },
    h("h2", {}, t("deposit.services")),
    h("p", { class: "muted" }, t("deposit.intro")),
    rows.length
      ? h("div", { class: "table-wrap" }, h("table", { "data-table": "deposits" }, h("thead", {}, h("tr", {}, head, h("th", {}))), h("tbody", {}, rows)))
      : h("p", { class: "empty" }, t("deposit.none")),
  );
}
