// CloudFront Function (viewer request) for the SPA's deep links.
// A path whose last segment has no dot is a client-side route (/experts/abc, /my-bookings):
// serve /index.html and let React Router render it. Files (/assets/x.js, /config.js) pass
// through, so a missing asset is a real error rather than a page of HTML.
// Same rule as scripts/serve_web.py uses locally.
function handler(event) {
  var request = event.request;
  var last = request.uri.substring(request.uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}
