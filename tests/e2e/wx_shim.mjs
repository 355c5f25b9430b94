// A small `wx` over fetch, faithful where the seed relies on it: wx.request resolves for any HTTP
// status (WeChat calls `success` for a 404 too) and rejects only when the network fails.
// `pay(params)`: what the person does in WeChat's payment sheet; resolves true when paid. Without it
// wx.requestPayment fails, as it does outside WeChat.
export function createWx(baseUrl, { pay } = {}) {
  const log = []
  const storage = new Map()
  const inFlight = new Set()

  function url(path, method, data) {
    const target = new URL(baseUrl + path.replace(/^\/api(?=\/)/, ''))
    if (method === 'GET' && data) {
      for (const [k, v] of Object.entries(data)) target.searchParams.set(k, String(v))
    }
    return target
  }

  function request({ url: path, method = 'GET', data, header = {}, success, fail, complete }) {
    const target = url(path, method, data)
    const headers = { ...header }
    const token = storage.get('token')
    if (token) headers.Authorization = `Bearer ${token}`
    let body
    if (method !== 'GET' && data !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(data)
    }
    const done = (async () => {
      try {
        const response = await fetch(target, { method, headers, body })
        const text = await response.text()
        let parsed = text
        try { parsed = JSON.parse(text) } catch { /* not JSON: WeChat hands over the text */ }
        const res = { data: parsed, statusCode: response.status, header: Object.fromEntries(response.headers) }
        log.push({ call: 'request', method, url: target.pathname + target.search, statusCode: response.status })
        success?.(res)
        complete?.(res)
        return res
      } catch (error) {
        log.push({ call: 'request', method, url: target.pathname, error: String(error) })
        fail?.({ errMsg: `request:fail ${error}` })
        complete?.({})
        throw error
      }
    })()
    inFlight.add(done)
    done.then(() => inFlight.delete(done), () => inFlight.delete(done))
    return done
  }

  const record = (call) => (options = {}) => {
    const { success, fail, complete, ...rest } = options
    log.push({ call, ...rest })
    success?.({ confirm: true, cancel: false, errMsg: `${call}:ok` })
    complete?.({})
  }

  return {
    log,
    request,
    getStorageSync: (key) => storage.get(key) ?? '',
    setStorageSync: (key, value) => storage.set(key, value),
    showModal: record('showModal'),
    showToast: record('showToast'),
    showLoading: record('showLoading'),
    hideLoading: record('hideLoading'),
    redirectTo: record('redirectTo'),
    navigateTo: record('navigateTo'),
    navigateBack: record('navigateBack'),
    makePhoneCall: record('makePhoneCall'),
    requestPayment(options = {}) {
      const { success, fail, complete, ...params } = options
      log.push({ call: 'requestPayment', ...params })
      const done = (async () => {
        const paid = pay ? await pay(params) : false
        if (paid) success?.({ errMsg: 'requestPayment:ok' })
        else fail?.({ errMsg: pay ? 'requestPayment:fail cancel' : 'requestPayment:fail not available in e2e' })
        complete?.({})
      })()
      inFlight.add(done)
      done.finally(() => inFlight.delete(done))
    },
    // Settles when no request is in flight, including those a handler started without awaiting.
    async idle() {
      while (inFlight.size) await Promise.allSettled([...inFlight])
    },
  }
}

// The mini program's Page(): an instance with its own data and a setData that takes 'a.b' paths.
export function createPage(definition) {
  const page = { ...definition, data: structuredClone(definition.data ?? {}) }
  page.setData = (changes) => {
    for (const [path, value] of Object.entries(changes)) {
      const keys = path.split('.')
      let target = page.data
      for (const key of keys.slice(0, -1)) target = target[key] ??= {}
      target[keys.at(-1)] = value
    }
  }
  return page
}
