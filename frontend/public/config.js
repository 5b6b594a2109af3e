// Runtime configuration, loaded by index.html before the bundle.
// Each stage (local, dev, prod) overwrites this one file at deploy time, so a single build serves all.
window.__APP_CONFIG__ = { apiBaseUrl: "http://127.0.0.1:8000" };
