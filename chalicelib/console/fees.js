// An appointment's money beyond its price, on its detail: the deposit asked and why, what its payment takes now and
// what is left for the visit, a late cancellation's or no-show's fee (kept, owed, waived), and what cancelling now
// would cost the customer; and what staff do with it: waive a fee, say how the rest was paid.
import { api } from "./api.js";
import { act, field, h, money, select, showDone } from "./dom.js";
import { t } from "./i18n.js";

const SETTLED_BY = ["cash", "card", "wechat", "alipay", "transfer", "other"];

const at = (stamp) => stamp.slice(0, 16).replace("T", " "); // the business's wall clock, as the history shows it

// The detail's facts about money: [label key, value], null where there is nothing to say. `open`: not yet final.
export function facts(a, cancellation, open) {
  const cash = (amount) => money(amount, a.currency);
  return [
    ["fees.deposit", a.deposit ? [`${cash(a.deposit.amount)} · ${t(`fees.reason.${a.deposit.reason}`)}`, h("div", { class: "muted" }, a.deposit.message)] : null],
    ["fees.amountDue", a.amountDue ? cash(a.amountDue) : null],
    ["fees.feesCarried", a.feesCarried ? cash(a.feesCarried) : null],
    ["fees.balanceDue", open ? cash(a.balanceDue) : null], // none once final: settled at the desk, or not owed
    ["fees.settledBy", a.settledBy ? t(`settledBy.${a.settledBy}`) : null],
    ["fees.fee", a.fee ? fee(a.fee, cash) : null],
    ["fees.ifCancelled", cancellation ? quote(cancellation, cash) : null],
  ];
}

// A fee as it was applied (kept from the payment, owed beside it), struck through once waived.
function fee(f, cash) {
  const parts = [f.kept ? t("fees.kept", { amount: cash(f.kept) }) : null, f.owed ? t("fees.owed", { amount: cash(f.owed) }) : null];
  const split = parts.filter(Boolean).join(", ");
  return [
    h("span", { class: f.waivedBy ? "waived" : "" }, `${t(`fees.kind.${f.kind}`)}: ${cash(f.amount)}`, split ? ` (${split})` : ""),
    f.waivedBy ? h("div", { "data-waived": "" }, t("fees.waivedBy", { who: f.waivedBy, reason: f.waivedReason || "" })) : null,
  ];
}

// What cancelling now would cost the customer, before anyone does (staff cancelling at their request included).
function quote(q, cash) {
  return [
    q.late ? t("fees.lateNow", { fee: cash(q.fee), refund: cash(q.refund) }) : t("fees.freeNow", { refund: cash(q.refund), from: at(q.lateFrom) }),
    h("div", { class: "muted" }, q.online ? t("fees.onlineUntil", { until: at(q.onlineUntil) }) : t("fees.onlineClosed", { until: at(q.onlineUntil) })),
  ];
}

// How the rest was paid at the visit, asked beside "Mark completed" when something is left to pay; nothing chosen,
// nothing sent.
export function settledByChoice(a) {
  if (!a.balanceDue) return null;
  const choices = [["", t("settledBy.unsaid")], ...SETTLED_BY.map((way) => [way, t(`settledBy.${way}`)])];
  return field(t("fees.settledByAsk", { amount: money(a.balanceDue, a.currency) }), select("settledBy", choices, ""));
}

// Staff let the customer off a fee, saying why (the API asks a reason): what it kept is refunded, nothing is owed.
export function waiveForm(a, ctx) {
  if (!a.fee || a.fee.waivedBy) return null;
  const form = h(
    "form",
    { class: "card form-grid", "data-form": "waive-fee" },
    h("h2", {}, t("fees.waive")),
    field(t("field.reason"), h("input", { type: "text", name: "reason", required: true, maxlength: 500 })),
    h("div", { class: "actions" }, h("button", { type: "submit", "data-action": "waive-fee" }, t("fees.waive"))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const reason = new FormData(form).get("reason").trim();
    act(form.querySelector("button[type=submit]"), async () => {
      await api.post(`/appointments/${encodeURIComponent(a.id)}/waive-fee`, { reason });
      showDone(t("fees.waived"));
      ctx.refresh();
    });
  });
  return form;
}
