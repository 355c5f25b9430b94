// Drives the seed's AppointmentAnalytics, unchanged, against a running stack with a staff token, and
// applies the seed's own client-side formulas to the appointments of the same 30 days.
// Usage: node run_seed_analytics.mjs <baseUrl> <staffToken> <firstDay> <lastDay>
import { createWx } from './wx_shim.mjs'

const [baseUrl, token, first, last] = process.argv.slice(2)
const wx = createWx(baseUrl)
wx.setStorageSync('token', token)
globalThis.wx = wx
const AppointmentAnalytics = (await import('./seed/utils/appointment-analytics.js')).default

async function appointmentsOfThePeriod() {
  const found = []
  const staff = await AppointmentAnalytics.getStaffUtilization('30d') // everyone working, or booked, in it
  for (const { staffId } of staff) {
    let cursor
    do {
      const data = { scope: 'all', staffId, ...(cursor ? { cursor } : {}) }
      const res = await wx.request({ url: '/api/appointments', method: 'GET', data })
      found.push(...res.data.appointments)
      cursor = res.data.nextCursor
    } while (cursor)
  }
  return found.filter((a) => a.date >= first && a.date <= last)
}

// The figures follow the table's stream: wait (with a deadline) until they agree with a condition.
async function until(condition, what) {
  const deadline = Date.now() + 30000
  for (;;) {
    const metrics = await AppointmentAnalytics.getBookingMetrics('30d')
    if (await condition(metrics)) return metrics
    if (Date.now() > deadline) throw new Error(`figures never caught up: ${what} (${JSON.stringify(metrics)})`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

const seen = {}
let listed = []
seen.metrics = await until(async (m) => {
  listed = await appointmentsOfThePeriod()
  return m.total === listed.length
}, 'the listed appointments')
seen.listed = listed.length
seen.popularity = await AppointmentAnalytics.getServicePopularity('30d')
seen.utilization = await AppointmentAnalytics.getStaffUtilization('30d')
seen.revenue = await AppointmentAnalytics.getRevenueAnalytics('30d')
seen.insights = await AppointmentAnalytics.getCustomerInsights('30d')
seen.seed = {
  noShowRate: AppointmentAnalytics.calculateNoShowRate(listed),
  averageBookingValue: AppointmentAnalytics.calculateAverageBookingValue(listed),
  patterns: AppointmentAnalytics.analyzeBookingPatterns(listed),
  completed: listed.filter((a) => a.status === 'completed').length,
}

const pending = listed.find((a) => a.status === 'pending')
if (pending) {
  const started = Date.now()
  const res = await wx.request({ url: `/api/appointments/${pending.id}/complete`, method: 'PUT' })
  seen.completedStatus = res.statusCode
  seen.metricsAfter = await until(
    async (m) => m.byStatus.completed === seen.metrics.byStatus.completed + 1,
    'the completed walk-in',
  )
  seen.movedAfterMs = Date.now() - started
}
console.log(JSON.stringify(seen))
