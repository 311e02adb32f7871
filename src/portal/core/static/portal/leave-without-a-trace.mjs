// On every public page: leave without leaving the answers behind in the browser's history.
//
// * Exit this page (GOV.UK Frontend's button, or Shift pressed three times) leaves with location.replace(),
//   so the Back button cannot bring this page back. GOV.UK Frontend's own handler moves on with a normal
//   navigation, which Back undoes; these listeners run first (capture phase) and stop it.
// * "Worried about someone?" moves between its questions with location.replace() (forms and links marked
//   data-replace-history), so the history holds one page of the flow at a time: after Exit this page, Back
//   goes to the page before the flow, whose address holds no answers.
// Without JavaScript the button is a plain link and the forms plain GET forms: the pages still work.
const exitButton = document.querySelector('.govuk-js-exit-this-page-button')
const SHIFT_PRESSES = 3
const SHIFT_WINDOW_MS = 5000

function leave () {
  window.location.replace(exitButton.href)
}

if (exitButton) {
  exitButton.addEventListener('click', (event) => {
    event.preventDefault()
    event.stopImmediatePropagation()
    leave()
  }, true)

  let presses = 0
  let timer
  window.addEventListener('keyup', (event) => {
    if (event.key !== 'Shift') {
      presses = 0
      return
    }
    event.stopImmediatePropagation()
    presses += 1
    clearTimeout(timer)
    timer = setTimeout(() => { presses = 0 }, SHIFT_WINDOW_MS)
    if (presses >= SHIFT_PRESSES) leave()
  }, true)
}

for (const form of document.querySelectorAll('form[data-replace-history]')) {
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const query = new URLSearchParams(new FormData(form, event.submitter)).toString()
    const action = new URL(form.getAttribute('action') || window.location.pathname, window.location.href)
    action.search = query
    window.location.replace(action.href)
  })
}

for (const link of document.querySelectorAll('a[data-replace-history]')) {
  link.addEventListener('click', (event) => {
    event.preventDefault()
    window.location.replace(link.href)
  })
}
