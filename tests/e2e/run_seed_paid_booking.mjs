// The seed's booking page, unchanged, booking the service that requires payment: onConfirmBooking ->
// processPayment -> POST /appointments/payment -> wx.requestPayment. The payment sheet is played by the
// local stack's stand-in payer (a Stripe test card on the offline Stripe).
// Usage: node run_seed_paid_booking.mjs <baseUrl> <customerToken>; prints one JSON object of what it saw.
import { createPage, createWx } from './wx_shim.mjs'

const [baseUrl, token] = process.argv.slice(2)
const auth = { Authorization: `Bearer ${token}`, 'content-type': 'application/json' }
async function pay(params) {
  const mine = await (await fetch(`${baseUrl}/appointments/mine?scope=pending`, { headers: auth })).json()
  const held = mine.appointments.find((a) => a.paymentIntentId === params.paymentIntentId)
  const answer = await fetch(`${baseUrl}/dev/payments/${held.id}/pay`, {
    method: 'POST', headers: auth, body: JSON.stringify({ outcome: 'succeed' }),
  })
  return (await answer.json()).paymentIntentStatus === 'succeeded'
}
const wx = createWx(baseUrl, { pay })
wx.setStorageSync('token', token)
globalThis.wx = wx

let definition
globalThis.Page = (d) => { definition = d }
await import('./seed/pages/booking/booking.js')
const booking = createPage(definition)
const tap = (dataset) => ({ currentTarget: { dataset } })

booking.onLoad({})
await wx.idle()
const service = booking.data.services.find((s) => s.requiresPayment)
booking.onServiceSelect(tap({ id: service.id }))
await wx.idle()
booking.onStaffSelect(tap({ id: booking.data.availableStaff[0].id }))
await wx.idle()
const date = booking.data.availableDates.map((d) => d.date).at(-1)
booking.onDateSelect(tap({ date }))
await wx.idle()
const slot = booking.data.availableSlots.at(-1)
booking.onSlotSelect(tap({ slot }))
const fill = { name: 'Li Lei', phone: '13900139000', email: 'li.lei@example.com', notes: 'Paid online' }
for (const [field, value] of Object.entries(fill)) booking.onCustomerInfoChange({ ...tap({ field }), detail: { value } })
await booking.onConfirmBooking()
await wx.idle()
console.log(JSON.stringify({ service: service.id, date, slot, log: wx.log }))
