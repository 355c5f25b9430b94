// Drives the seed's NotificationService, unchanged: its seven calls, around a reschedule and a cancel
// made the way a page would make them. Usage: node run_seed_notifications.mjs <baseUrl> <token>
// <appointmentId> <customerId> <newDate> <newTime>; prints one JSON object of what it saw.
import { createWx } from './wx_shim.mjs'

const [baseUrl, token, appointmentId, customerId, newDate, newTime] = process.argv.slice(2)
const wx = createWx(baseUrl)
wx.setStorageSync('token', token)
globalThis.wx = wx
const NotificationService = (await import('./seed/utils/notification-service.js')).default

const seen = {}
seen.preferences = await NotificationService.getNotificationPreferences(customerId)
seen.updated = await NotificationService.updateNotificationPreferences(customerId, {
  ...seen.preferences,
  email: true,
  locale: 'en',
})
seen.confirmation = await NotificationService.sendAppointmentConfirmation(appointmentId)
seen.reminder = await NotificationService.sendAppointmentReminder(appointmentId, '2h')
seen.scheduled = await NotificationService.scheduleReminders(appointmentId, ['24h', '2h'])
seen.moved = (await wx.request({
  url: `/api/appointments/${appointmentId}/reschedule`, method: 'PUT', data: { date: newDate, timeSlot: newTime },
})).statusCode
seen.rescheduling = await NotificationService.sendReschedulingNotice(appointmentId, `${newDate} ${newTime}`)
seen.cancelled = (await wx.request({
  url: `/api/appointments/${appointmentId}/cancel`, method: 'PUT', data: { reason: 'Change of plans' },
})).statusCode
seen.cancellation = await NotificationService.sendCancellationNotice(appointmentId, 'Change of plans')
seen.log = wx.log
console.log(JSON.stringify(seen))
