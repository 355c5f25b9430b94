// utils/appointment-analytics.js
class AppointmentAnalytics {
static async getBookingMetrics(period = '30d') {
try {
const res = await wx.request({
url: '/api/appointments/analytics/bookings',
method: 'GET',
data: { period }
})
return res.data.metrics
} catch (error) {
console.error('Failed to get booking metrics:', error)
return null
}
}
static async getServicePopularity(period = '30d') {
try {
const res = await wx.request({
url: '/api/appointments/analytics/services',
method: 'GET',
data: { period }
})
return res.data.popularity
} catch (error) {
console.error('Failed to get service popularity:', error)
return []
}
}
static async getStaffUtilization(period = '30d') {
try {
const res = await wx.request({
url: '/api/appointments/analytics/staff',
method: 'GET',
data: { period }
})
return res.data.utilization
} catch (error) {
console.error('Failed to get staff utilization:', error)
return []
}
}
static async getRevenueAnalytics(period = '30d') {
try {
const res = await wx.request({
url: '/api/appointments/analytics/revenue',
method: 'GET',
data: { period }
})
return res.data.revenue
} catch (error) {
console.error('Failed to get revenue analytics:', error)
return null
}
}
static async getCustomerInsights(period = '30d') {
try {
const res = await wx.request({
url: '/api/appointments/analytics/customers',
method: 'GET',
data: { period }
})
return res.data.insights
} catch (error) {
console.error('Failed to get customer insights:', error)
return null
}
}
static calculateNoShowRate(appointments) {
if (appointments.length === 0) return 0
const noShows = appointments.filter(apt => apt.status === 'no-show')
return (noShows.length / appointments.length) * 100
}
static calculateAverageBookingValue(appointments) {
if (appointments.length === 0) return 0
const completedAppointments = appointments.filter(apt => apt.status === 'completed')
if (completedAppointments.length === 0) return 0
const totalValue = completedAppointments.reduce((sum, apt) => sum + apt.totalAmount, 0)
return totalValue / completedAppointments.length
}
static analyzeBookingPatterns(appointments) {
const patterns = {
hourly: new Array(24).fill(0),
daily: new Array(7).fill(0),
monthly: new Array(12).fill(0)
}
appointments.forEach(apt => {
const date = new Date(apt.appointmentDateTime)
patterns.hourly[date.getHours()]++
patterns.daily[date.getDay()]++
patterns.monthly[date.getMonth()]++
})
return {
peakHours: this.findPeakTimes(patterns.hourly),
peakDays: this.findPeakTimes(patterns.daily),
peakMonths: this.findPeakTimes(patterns.monthly)
}
}
static findPeakTimes(data) {
const max = Math.max(...data)
return data.map((count, index) => ({ index, count }))
.filter(item => item.count === max)
.map(item => item.index)
}
}
export default AppointmentAnalytics
