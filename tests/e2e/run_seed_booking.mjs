// Drives the seed's booking and appointment-detail pages, unchanged, against a running stack.
// Usage: node run_seed_booking.mjs <baseUrl> <customerToken>; prints one JSON object of what it saw.
import { createPage, createWx } from './wx_shim.mjs'

const [baseUrl, token] = process.argv.slice(2)
const wx = createWx(baseUrl)
wx.setStorageSync('token', token)
globalThis.wx = wx

let definition
globalThis.Page = (d) => { definition = d }
async function load(path) {
  await import(new URL(`./seed/${path}`, import.meta.url))
  return createPage(definition)
}
globalThis.NotificationService = (await import('./seed/utils/notification-service.js')).default

const tap = (dataset) => ({ currentTarget: { dataset } })
const seen = {}

const booking = await load('pages/booking/booking.js')
booking.onLoad({})
await wx.idle()
seen.services = booking.data.services
const service = seen.services.find((s) => s.id === 'svc-cut') ?? seen.services.find((s) => !s.requiresPayment)
booking.onServiceSelect(tap({ id: service.id }))
await wx.idle()
seen.staff = booking.data.availableStaff
booking.onStaffSelect(tap({ id: seen.staff[0].id }))
await wx.idle()
seen.dates = booking.data.availableDates
const inTwoDays = new Date(Date.now() + 2 * 86400000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
const date = seen.dates.map((d) => d.date).find((d) => d >= inTwoDays)
booking.onDateSelect(tap({ date }))
await wx.idle()
seen.slotsBefore = booking.data.availableSlots
const slot = seen.slotsBefore[0]
booking.onSlotSelect(tap({ slot }))
const fill = { name: 'Zhang San', phone: '13800138000', email: 'zhang.san@example.com', notes: 'First visit' }
for (const [field, value] of Object.entries(fill)) booking.onCustomerInfoChange({ ...tap({ field }), detail: { value } })
await booking.onConfirmBooking()
await wx.idle()
seen.chosen = { service: service.id, staff: seen.staff[0].id, date, slot }
seen.booked = wx.log.find((e) => e.call === 'request' && e.url === '/appointments/book')
const redirect = wx.log.find((e) => e.call === 'redirectTo')
seen.redirect = redirect?.url

await booking.loadAvailableSlots(date)
await wx.idle()
seen.slotsAfterBooking = booking.data.availableSlots

const id = new URLSearchParams(redirect.url.split('?')[1]).get('id')
const detail = await load('pages/appointment-detail/appointment-detail.js')
detail.onLoad({ id })
await wx.idle()
seen.detailLoaded = structuredClone(detail.data)
detail.onCancelAppointment()
await wx.idle()
seen.detailAfterCancel = structuredClone(detail.data)

await booking.loadAvailableSlots(date)
await wx.idle()
seen.slotsAfterCancel = booking.data.availableSlots
seen.log = wx.log
console.log(JSON.stringify(seen))
