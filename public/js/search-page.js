// Search page: on wide screens the filter panel is a sidebar, always open. CSS does it where
// ::details-content is known; this covers older browsers.
const facets = document.querySelector('details[data-open-wide]');
if (facets && window.matchMedia('(min-width: 56em)').matches) facets.open = true;
