// utils/notification-service.js
class NotificationService {
static async sendAppointmentConfirmation(appointmentId) {
try {
const res = await wx.request({
url: `/api/appointments/${appointmentId}/notifications/confirmation`,
method: 'POST'
})
return res.data
} catch (error) {
console.error('Failed to send confirmation:', error)
throw error
}
}
static async sendAppointmentReminder(appointmentId, reminderType = '24h') {
try {
const res = await wx.request({
url: `/api/appointments/${appointmentId}/notifications/reminder`,
method: 'POST',
data: {
type: reminderType
}
})
return res.data
} catch (error) {
console.error('Failed to send reminder:', error)
throw error
}
}
static async scheduleReminders(appointmentId, reminderTimes) {
try {
const res = await wx.request({
url: `/api/appointments/${appointmentId}/reminders/schedule`,
method: 'POST',
data: {
reminderTimes
}
})
return res.data
} catch (error) {
console.error('Failed to schedule reminders:', error)
throw error
}
}
static async sendCancellationNotice(appointmentId, reason) {
try {
const res = await wx.request({
url: `/api/appointments/${appointmentId}/notifications/cancellation`,
method: 'POST',
data: {
reason
}
})
return res.data
} catch (error) {
console.error('Failed to send cancellation notice:', error)
throw error
}
}
static async sendReschedulingNotice(appointmentId, newDateTime) {
try {
const res = await wx.request({
url: `/api/appointments/${appointmentId}/notifications/reschedule`,
method: 'POST',
data: {
newDateTime
}
})
return res.data
} catch (error) {
console.error('Failed to send rescheduling notice:', error)
throw error
}
}
static async getNotificationPreferences(customerId) {
try {
const res = await wx.request({
url: `/api/customers/${customerId}/notification-preferences`,
method: 'GET'
})
return res.data.preferences
} catch (error) {
console.error('Failed to get notification preferences:', error)
return {
sms: true,
email: true,
push: true,
reminderTimes: ['24h', '2h']
}
}
}
static async updateNotificationPreferences(customerId, preferences) {
try {
const res = await wx.request({
url: `/api/customers/${customerId}/notification-preferences`,
method: 'PUT',
data: {
preferences
}
})
return res.data
} catch (error) {
console.error('Failed to update notification preferences:', error)
throw error
}
}
}
export default NotificationService
