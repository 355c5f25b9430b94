// pages/appointment-detail/appointment-detail.js
Page({
data: {
appointment: {},
loading: true,
canCancel: false,
canReschedule: false
},
onLoad(options) {
this.appointmentId = options.id
this.loadAppointmentDetail()
},
async loadAppointmentDetail() {
try {
const res = await wx.request({
url: `/api/appointments/${this.appointmentId}`,
method: 'GET'
})
const appointment = res.data.appointment
const now = Date.now()
const appointmentTime = new Date(`${appointment.date} ${appointment.timeSlot}`).getTime()
// Check if appointment can be cancelled or rescheduled
const hoursUntilAppointment = (appointmentTime - now) / (1000 * 60 * 60)
const canCancel = hoursUntilAppointment > 24 && appointment.status === 'confirmed'
const canReschedule = hoursUntilAppointment > 24 && appointment.status === 'confirmed'
this.setData({
appointment,
canCancel,
canReschedule,
loading: false
})
} catch (error) {
console.error('Failed to load appointment detail:', error)
this.setData({ loading: false })
}
},
onCancelAppointment() {
wx.showModal({
title: 'Cancel Appointment',
content: 'Are you sure you want to cancel this appointment? This action cannot be undone.',
success: (res) => {
if (res.confirm) {
this.cancelAppointment()
}
}
})
},
async cancelAppointment() {
try {
wx.showLoading({ title: 'Cancelling...' })
const res = await wx.request({
url: `/api/appointments/${this.appointmentId}/cancel`,
method: 'PUT',
data: {
reason: 'Customer cancellation'
}
})
if (res.data.success) {
wx.showToast({
title: 'Appointment cancelled',
icon: 'success'
})
// Refresh appointment details
this.loadAppointmentDetail()
// Send cancellation notification
await NotificationService.sendCancellationNotice(
this.appointmentId,
'Customer cancellation'
)
}
} catch (error) {
console.error('Failed to cancel appointment:', error)
wx.showToast({
title: 'Cancellation failed',
icon: 'error'
})
} finally {
wx.hideLoading()
}
},
onRescheduleAppointment() {
wx.navigateTo({
url: `/pages/reschedule/reschedule?appointmentId=${this.appointmentId}`
})
},
onCallBusiness() {
const phone = this.data.appointment.businessPhone
wx.makePhoneCall({ phoneNumber: phone })
},
onAddToCalendar() {
const { appointment } = this.data
const startTime = new Date(`${appointment.date} ${appointment.timeSlot}`)
const endTime = new Date(startTime.getTime() + appointment.duration * 60000)
// This would integrate with device calendar
wx.showModal({
title: 'Add to Calendar',
content: `Would you like to add this appointment to your calendar?\n\n${appointment.serviceName}\n${appointment.date} ${appointment.timeSlot}`,
success: (res) => {
if (res.confirm) {
// Calendar integration would go here
wx.showToast({
title: 'Added to calendar',
icon: 'success'
})
}
}
})
},
onShareAppointment() {
const { appointment } = this.data
return {
title: `Appointment: ${appointment.serviceName}`,
desc: `${appointment.date} at ${appointment.timeSlot}`,
path: `/pages/appointment-detail/appointment-detail?id=${this.appointmentId}`
}
}
})
