// Map of a resource's points (progressive enhancement: the page works without it). Leaflet is served
// by the portal itself; tiles come from the configured tile server. No inline script: the CSP forbids it.
{
  const element = document.getElementById('resource-map');
  const L = window.L;
  if (element && L) {
    // Leaflet writes attributions as HTML: pass the configured text escaped.
    const escapeHtml = (text) => {
      const span = document.createElement('span');
      span.textContent = text;
      return span.innerHTML;
    };

    // Shown first: Leaflet measures its container when the map is created.
    element.classList.add('resource-map--ready');
    const map = L.map(element, { scrollWheelZoom: false }).setView([16, 107], 5);
    L.tileLayer(element.dataset.tileUrl, { maxZoom: 18, attribution: escapeHtml(element.dataset.attribution || '') }).addTo(map);

    const popupOf = (properties) => {
      const list = document.createElement('dl');
      list.className = 'resource-map__popup';
      for (const key of Object.keys(properties || {}).slice(0, 12)) {
        const term = document.createElement('dt');
        term.textContent = key;
        const value = document.createElement('dd');
        value.textContent = properties[key];
        list.append(term, value);
      }
      return list;
    };

    fetch(element.dataset.geojson, { headers: { Accept: 'application/geo+json' } })
      .then((response) => {
        if (!response.ok) throw new Error(`GeoJSON ${response.status}`);
        return response.json();
      })
      .then((collection) => {
        const layer = L.geoJSON(collection, {
          // Circles need no marker images and stay sharp at any zoom.
          pointToLayer: (_feature, latlng) =>
            L.circleMarker(latlng, { radius: 6, color: '#0b4f8a', weight: 2, fillColor: '#1f6fb2', fillOpacity: 0.7 }),
          onEachFeature: (feature, marker) => marker.bindPopup(popupOf(feature.properties)),
        }).addTo(map);
        const bounds = layer.getBounds();
        if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 15 });
      })
      .catch(() => element.classList.add('resource-map--failed'));
  }
}
