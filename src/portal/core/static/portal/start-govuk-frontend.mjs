// Starts GOV.UK Frontend's components (skip link focus, service navigation menu, ...).
// The script URL comes from the page (data-govuk-frontend-src), so it is the hashed, cacheable URL that
// Django's {% static %} gives in production. Every page also works without this.
const loader = document.querySelector('script[data-govuk-frontend-src]')

if (loader && document.body.classList.contains('govuk-frontend-supported')) {
  const { initAll } = await import(loader.dataset.govukFrontendSrc)
  initAll()
}
