// First-party analytics for the public pages: no cookies, no storage.
// The server counts page views itself; this reports only what it cannot see: clicks on calls
// to action (data-cta) and on links to other sites, sent with sendBeacon as they happen.
(function () {
  "use strict";
  var script = document.currentScript;
  var coach = script && script.getAttribute("data-coach");
  if (!coach || !navigator.sendBeacon) return;
  var params = new URLSearchParams(location.search);

  function send(type, extra) {
    var event = { coach: coach, type: type, path: location.pathname, referrer: document.referrer };
    ["utm_source", "utm_medium", "utm_campaign"].forEach(function (key) {
      if (params.get(key)) event[key] = params.get(key);
    });
    Object.keys(extra || {}).forEach(function (key) { event[key] = extra[key]; });
    navigator.sendBeacon("/api/analytics/events", JSON.stringify(event));
  }

  document.addEventListener("click", function (click) {
    var link = click.target.closest && click.target.closest("a[href]");
    if (!link) return;
    var cta = link.getAttribute("data-cta");
    if (cta) {
      var product = /^\/checkout\/(\d+)$/.exec(link.pathname);
      send("cta_click", product ? { product: Number(product[1]) } : {});
    } else if (link.host && link.host !== location.host) {
      send("outbound");
    }
  }, true);
})();
