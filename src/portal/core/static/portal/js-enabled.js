// Runs first thing in <body>, before the page is drawn: marks the page as able to run GOV.UK Frontend's
// JavaScript, so its styles for enhanced components apply without a flash of unenhanced content.
// A file rather than GOV.UK's usual inline snippet, so the Content Security Policy needs no 'unsafe-inline'.
document.body.className +=
  ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '')
