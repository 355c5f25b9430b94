// pages/booking/booking.js
Page({
data: {
services: [],
selectedService: null,
availableStaff: [],
selectedStaff: null,
availableDates: [],
selectedDate: null,
availableSlots: [],
selectedSlot: null,
customerInfo: {
name: '',
phone: '',
email: '',
notes: ''
},
loading: false,
step: 1,
totalSteps: 4
},
onLoad(options) {
this.serviceId = options.serviceId
this.loadServices()
},
async loadServices() {
try {
const res = await wx.request({
url: '/api/appointments/services',
method: 'GET'
})
this.setData({
services: res.data.services
})
if (this.serviceId) {
const service = res.data.services.find(s => s.id === this.serviceId)
if (service) {
this.selectService(service)
}
}
} catch (error) {
console.error('Failed to load services:', error)
}
},
onServiceSelect(e) {
const serviceId = e.currentTarget.dataset.id
const service = this.data.services.find(s => s.id === serviceId)
this.selectService(service)
},
selectService(service) {
this.setData({
selectedService: service,
step: 2
})
this.loadAvailableStaff(service.id)
},
async loadAvailableStaff(serviceId) {
try {
const res = await wx.request({
url: `/api/appointments/services/${serviceId}/staff`,
method: 'GET'
})
this.setData({
availableStaff: res.data.staff
})
} catch (error) {
console.error('Failed to load available staff:', error)
}
},
onStaffSelect(e) {
const staffId = e.currentTarget.dataset.id
const staff = this.data.availableStaff.find(s => s.id === staffId)
this.setData({
selectedStaff: staff,
step: 3
})
this.loadAvailableDates()
},
async loadAvailableDates() {
try {
const res = await wx.request({
url: '/api/appointments/availability/dates',
method: 'GET',
data: {
serviceId: this.data.selectedService.id,
staffId: this.data.selectedStaff.id,
days: 30 // Next 30 days
}
})
this.setData({
availableDates: res.data.dates
})
} catch (error) {
console.error('Failed to load available dates:', error)
}
},
onDateSelect(e) {
const date = e.currentTarget.dataset.date
this.setData({
selectedDate: date
})
this.loadAvailableSlots(date)
},
async loadAvailableSlots(date) {
try {
const res = await wx.request({
url: '/api/appointments/availability/slots',
method: 'GET',
data: {
serviceId: this.data.selectedService.id,
staffId: this.data.selectedStaff.id,
date: date
}
})
this.setData({
availableSlots: res.data.slots
})
} catch (error) {
console.error('Failed to load available slots:', error)
}
},
onSlotSelect(e) {
const slot = e.currentTarget.dataset.slot
this.setData({
selectedSlot: slot,
step: 4
})
},
onCustomerInfoChange(e) {
const { field } = e.currentTarget.dataset
const { value } = e.detail
this.setData({
[`customerInfo.${field}`]: value
})
},
validateCustomerInfo() {
const { customerInfo } = this.data
const errors = []
if (!customerInfo.name.trim()) {
errors.push('Name is required')
}
if (!customerInfo.phone.trim()) {
errors.push('Phone number is required')
} else if (!/^1[3-9]\d{9}$/.test(customerInfo.phone)) {
errors.push('Please enter a valid phone number')
}
if (customerInfo.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(customerInfo.email)) {
errors.push('Please enter a valid email address')
}
return errors
},
async onConfirmBooking() {
if (this.data.loading) return
const errors = this.validateCustomerInfo()
if (errors.length > 0) {
wx.showModal({
title: 'Validation Error',
content: errors.join('\n'),
showCancel: false
})
return
}
this.setData({ loading: true })
try {
const bookingData = {
serviceId: this.data.selectedService.id,
staffId: this.data.selectedStaff.id,
date: this.data.selectedDate,
timeSlot: this.data.selectedSlot,
customerInfo: this.data.customerInfo,
totalAmount: this.data.selectedService.price
}
const res = await wx.request({
url: '/api/appointments/book',
method: 'POST',
data: bookingData
})
if (res.data.success) {
const appointment = res.data.appointment
// Process payment if required
if (this.data.selectedService.requiresPayment) {
await this.processPayment(appointment)
} else {
this.showBookingSuccess(appointment)
}
}
} catch (error) {
console.error('Failed to book appointment:', error)
wx.showToast({
title: 'Booking failed',
icon: 'error'
})
} finally {
this.setData({ loading: false })
}
},
async processPayment(appointment) {
try {
const paymentRes = await wx.request({
url: '/api/appointments/payment',
method: 'POST',
data: {
appointmentId: appointment.id,
amount: appointment.totalAmount
}
})
const paymentParams = paymentRes.data
wx.requestPayment({
...paymentParams,
success: () => {
this.showBookingSuccess(appointment)
},
fail: (error) => {
console.error('Payment failed:', error)
wx.showModal({
title: 'Payment Failed',
content: 'Your appointment has been reserved but payment failed. Please contact us to complete the payment.',
showCancel: false
})
}
})
} catch (error) {
console.error('Failed to process payment:', error)
}
},
showBookingSuccess(appointment) {
wx.showModal({
title: 'Booking Confirmed',
content: `Your appointment has been confirmed for ${appointment.date} at ${appointment.timeSlot}. You will receive a confirmation message shortly.`,
showCancel: false,
confirmText: 'View Details',
success: (res) => {
if (res.confirm) {
wx.redirectTo({
url: `/pages/appointment-detail/appointment-detail?id=${appointment.id}`
})
} else {
wx.navigateBack()
}
}
})
},
onPreviousStep() {
if (this.data.step > 1) {
this.setData({
step: this.data.step - 1
})
}
},
onNextStep() {
if (this.data.step < this.data.totalSteps) {
this.setData({
step: this.data.step + 1
})
}
}
})
