// utils/schedule-manager.js
class ScheduleManager {
static async getStaffSchedule(staffId, startDate, endDate) {
try {
const res = await wx.request({
url: `/api/appointments/staff/${staffId}/schedule`,
method: 'GET',
data: {
startDate,
endDate
}
})
return res.data.schedule
} catch (error) {
console.error('Failed to get staff schedule:', error)
return []
}
}
static async updateStaffAvailability(staffId, availability) {
try {
const res = await wx.request({
url: `/api/appointments/staff/${staffId}/availability`,
method: 'PUT',
data: {
availability
}
})
return res.data
} catch (error) {
console.error('Failed to update staff availability:', error)
throw error
}
}
static async blockTimeSlot(staffId, date, timeSlot, reason) {
try {
const res = await wx.request({
url: '/api/appointments/schedule/block',
method: 'POST',
data: {
staffId,
date,
timeSlot,
reason,
blockedBy: wx.getStorageSync('userId')
}
})
return res.data
} catch (error) {
console.error('Failed to block time slot:', error)
throw error
}
}
static async unblockTimeSlot(blockId) {
try {
const res = await wx.request({
url: `/api/appointments/schedule/unblock/${blockId}`,
method: 'DELETE'
})
return res.data
} catch (error) {
console.error('Failed to unblock time slot:', error)
throw error
}
}
static generateTimeSlots(startTime, endTime, duration, breakTimes = []) {
const slots = []
const start = new Date(`2000-01-01 ${startTime}`)
const end = new Date(`2000-01-01 ${endTime}`)
let current = new Date(start)
while (current < end) {
const slotStart = current.toTimeString().slice(0, 5)
const slotEnd = new Date(current.getTime() + duration * 60000).toTimeString().slice(0, 5)
// Check if slot conflicts with break times
const isBreakTime = breakTimes.some(breakTime => {
const breakStart = new Date(`2000-01-01 ${breakTime.start}`)
const breakEnd = new Date(`2000-01-01 ${breakTime.end}`)
return current >= breakStart && current < breakEnd
})
if (!isBreakTime) {
slots.push({
start: slotStart,
end: slotEnd,
duration: duration
})
}
current = new Date(current.getTime() + duration * 60000)
}
return slots
}
static async checkConflicts(staffId, date, timeSlot) {
try {
const res = await wx.request({
url: '/api/appointments/schedule/conflicts',
method: 'GET',
data: {
staffId,
date,
timeSlot
}
})
return res.data.conflicts
} catch (error) {
console.error('Failed to check conflicts:', error)
return []
}
}
static async getScheduleOverview(date) {
try {
const res = await wx.request({
url: '/api/appointments/schedule/overview',
method: 'GET',
data: { date }
})
return res.data.overview
} catch (error) {
console.error('Failed to get schedule overview:', error)
return null
}
}
}
export default ScheduleManager
