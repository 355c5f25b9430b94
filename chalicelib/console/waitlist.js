// The waitlist where staff look: the shown day's line (first come first) on the day, each open offer with its time
// and until when it is held, an entry removed; and an appointment made from the waitlist marked as such.
import { api, here } from "./api.js";
import { act, h, showDone } from "./dom.js";
import { t } from "./i18n.js";

// The line for the day at the desk's location, each entry with its open offer read: [{entry, offer}].
export async function line(date) {
  const { entries } = await api.get("/waitlist", { date, ...here() });
  const offers = await Promise.all(
    entries.map((e) => (e.offerId ? api.get(`/appointments/${encodeURIComponent(e.offerId)}`).then((r) => r.appointment) : null)),
  );
  return entries.map((entry, i) => ({ entry, offer: offers[i] }));
}

// A hold's end on the business's clock: the time alone when it ends today, else the date too.
export function heldUntil(stamp, today) {
  if (!stamp) return "—";
  return stamp.slice(0, 10) === today ? stamp.slice(11, 16) : stamp.slice(0, 16).replace("T", " ");
}

export const isOpenOffer = (a) => a.offer === "offered" && a.status === "pending";

// What an appointment's detail says of it when the waitlist made it: an open offer (held for its customer, which
// staff can neither confirm nor move), one booked from it, or one let pass.
export function badge(a, today) {
  if (isOpenOffer(a)) {
    return h(
      "p",
      { class: "offer-badge", "data-offer": "offered" },
      h("b", {}, t("offer.offered", { until: heldUntil(a.holdExpiresAt, today) })),
      h("small", {}, t("offer.offeredHint")),
    );
  }
  if (a.offer === "accepted") return h("p", { class: "offer-badge accepted", "data-offer": "accepted" }, h("b", {}, t("offer.accepted")));
  if (a.offer === "passed") return h("p", { class: "offer-badge passed", "data-offer": "passed" }, t("offer.passed"));
  return null;
}

// The same, in a word or two on the appointment's card in the day or week.
export function mark(a, today) {
  if (isOpenOffer(a)) return h("span", { class: "offer", "data-offer": "offered" }, t("offer.card", { until: heldUntil(a.holdExpiresAt, today) }));
  if (a.offer === "accepted") return h("span", { class: "offer", "data-offer": "accepted" }, t("offer.accepted"));
  return null;
}

// The day's waitlist card: who waits, for what, with whom, when, where they stand; "Remove" takes one out.
export function panel(shown, { services, staff, today, ctx }) {
  const card = (...body) => h("section", { class: "card", "data-card": "waitlist" }, h("h2", {}, t("waitlist.title")), ...body);
  if (shown.error) return card(h("p", { class: "empty" }, t("waitlist.loadFailed"), " ", h("code", {}, shown.error.code || "")));
  if (!shown.length) return card(h("p", { class: "empty" }, t("waitlist.none")));
  const serviceName = (id) => services.find((s) => s.id === id)?.name || id;
  const staffName = (id, offer) => (id ? staff.find((m) => m.id === id)?.name || offer?.staffName || id : t("waitlist.anyStaff"));
  const rows = shown.map(({ entry: e, offer }, i) =>
    h(
      "tr",
      { "data-entry": e.id, "data-status": e.status },
      h("td", {}, String(i + 1)),
      h("td", {}, e.customerInfo.name, h("small", { class: "muted", "data-phone": "" }, e.customerInfo.phone || "")),
      h("td", {}, serviceName(e.serviceId)),
      h("td", {}, staffName(e.staffId, offer)),
      h("td", {}, wanted(e)),
      h("td", {}, h("span", { class: `status status-${e.status}` }, t(`waitlist.status.${e.status}`))),
      h("td", { class: "offered", "data-offer": e.offerId || "" }, offer ? offered(offer, today) : "—"),
      h("td", {}, removeButton(e, ctx)),
    ),
  );
  const head = ["waitlist.position", "field.customer", "field.service", "field.staff", "waitlist.window", "field.status", "waitlist.offer"];
  return card(
    h("p", { class: "muted" }, t("waitlist.intro")),
    h(
      "div",
      { class: "table-wrap" },
      h("table", { "data-table": "waitlist" }, h("thead", {}, h("tr", {}, head.map((k) => h("th", {}, t(k))), h("th", {}))), h("tbody", {}, rows)),
    ),
  );
}

// The days and hours the customer waits for.
function wanted(e) {
  const days = e.fromDate === e.toDate ? e.fromDate : `${e.fromDate} – ${e.toDate}`;
  return `${days} · ${e.fromTime}–${e.toTime}`;
}

function offered(offer, today) {
  return h(
    "a",
    { href: `#/appointment/${offer.id}` },
    t("waitlist.offerHeld", { when: `${offer.date} ${offer.timeSlot}–${offer.endTime}`, until: heldUntil(offer.holdExpiresAt, today) }),
  );
}

function removeButton(e, ctx) {
  const name = e.customerInfo.name;
  return h(
    "button",
    {
      type: "button",
      class: "danger small",
      "data-action": "remove-entry",
      onclick: (event) => {
        if (!window.confirm(t("waitlist.removeConfirm", { name }))) return;
        act(event.currentTarget, async () => {
          await api.delete(`/waitlist/${encodeURIComponent(e.id)}`);
          showDone(t("waitlist.removed", { name }));
          ctx.refresh();
        });
      },
    },
    t("waitlist.remove"),
  );
}
