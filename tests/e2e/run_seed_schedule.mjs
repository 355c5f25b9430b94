// Drives the seed's ScheduleManager, unchanged, against a running stack with a staff token.
// Usage: node run_seed_schedule.mjs <baseUrl> <staffToken> <staffId> <date>; prints one JSON object.
import { createWx } from './wx_shim.mjs'

const [baseUrl, token, staffId, date] = process.argv.slice(2)
const wx = createWx(baseUrl)
wx.setStorageSync('token', token)
wx.setStorageSync('userId', 'front-desk')
globalThis.wx = wx
const ScheduleManager = (await import('./seed/utils/schedule-manager.js')).default

const seen = {}
seen.scheduleBefore = await ScheduleManager.getStaffSchedule(staffId, date, date)
seen.block = await ScheduleManager.blockTimeSlot(staffId, date, '15:00', 'Team meeting')
seen.conflicts = await ScheduleManager.checkConflicts(staffId, date, '15:00')
seen.overview = await ScheduleManager.getScheduleOverview(date)
seen.scheduleWithBlock = await ScheduleManager.getStaffSchedule(staffId, date, date)
seen.unblock = await ScheduleManager.unblockTimeSlot(seen.block.id)
seen.conflictsAfter = await ScheduleManager.checkConflicts(staffId, date, '15:00')
const hours = seen.scheduleBefore[0].workingHours
seen.availability = await ScheduleManager.updateStaffAvailability(staffId, {
  weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, [{ start: '09:00', end: '18:00' }]])),
  breaks: [{ start: '12:00', end: '13:00' }],
  overrides: {},
})
seen.generated = ScheduleManager.generateTimeSlots('09:00', '11:00', 30, [{ start: '10:00', end: '10:30' }])
seen.hoursBefore = hours
seen.log = wx.log
console.log(JSON.stringify(seen))
